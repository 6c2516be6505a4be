"""
``python -m gcore_captions`` runs the command line.
"""

from .cli import main

main()
