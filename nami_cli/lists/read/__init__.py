"""One module per input format, each a reader ``Opened -> ListSource`` registered in ``readers.READERS``:
``csv``, ``sheets`` (XLSX, XLS, ODS), ``json``, ``jsonl``; ``ocds`` maps OCDS releases to rows (no I/O);
``base`` holds the interface they share. Open a list with ``nami_cli.lists.readers.open_list``."""
