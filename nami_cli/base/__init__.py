"""Building blocks every layer uses: errors, safe text, allowed values, the number parser, safe writing."""
