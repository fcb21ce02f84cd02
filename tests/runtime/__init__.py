"""Unit tests of generator/runtime/: the generated module's static code, imported as
the real Python it is."""
