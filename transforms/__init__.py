"""Pure polars transforms: parsers (bytes -> typed frames) and metric builders (frames -> marts). No I/O."""
