"""One module per command. Modules import only typer and the standard library at the top; everything
heavy (pydantic, yaml, questionary, openpyxl) is imported inside the command that needs it, so that
``nami --help`` and ``nami --version`` stay fast."""
