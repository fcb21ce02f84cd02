"""``python -m generator`` runs the ``wsdlbind`` command."""

from .cli import main

main()
