"""The type of a column schema (`SCHEMA` constants): column name -> polars dtype, class or instance."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeAlias

if TYPE_CHECKING:
    from polars._typing import PolarsDataType  # polars' own alias for "a dtype class or instance"

# The key is typed Any, not str: `DataFrame.cast` takes a Mapping keyed by `str | Selector | DataType`, and a
# Mapping's key type is invariant, so a `dict[str, ...]` would be refused by the type checker at every cast.
SchemaDict: TypeAlias = "dict[Any, PolarsDataType]"
