"""``python -m nami_cli``."""

from nami_cli.cli import main

if __name__ == "__main__":
    main()
