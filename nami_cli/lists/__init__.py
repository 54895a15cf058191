"""The input/output layer of ``nami screen``: read a purchase list, map its columns, write the annotated copy.

- ``readers.open_list(path, sheet=..., input_format=...) -> ListSource`` (CSV, XLSX, XLS, ODS, JSON, JSON
  Lines, OCDS): ``formats`` detects the format (one extension table for readers and writers),
  ``encoding`` the text encoding, and ``read/`` holds one reader module per format (``readers.READERS``)
- ``columns.map_columns(headers, overrides, file=...) -> ColumnMap``
- ``rows.row_to_request(cells, cmap, decimal) -> (request, extra, error)``
- ``writers.open_writer(path, fmt, headers, delimiter=..., encoding=...) -> Writer``
- ``numbers.parse_number(text, decimal)``, ``numbers.detect_decimal(samples)``

The submodules are imported on use (``from nami_cli.lists.readers import open_list``): importing this
package costs nothing, so ``nami --help`` stays fast.
"""
