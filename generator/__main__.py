"""``python -m generator`` runs the ``wsdlbind`` command."""

from generator.cli import main

main()
