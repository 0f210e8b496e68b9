"""The date reader now lives in pobratim.core.text_dates (the records' checks use it too); kept here so the
fact readers' imports still work."""

from pobratim.core.text_dates import DateMention, find_dates, month_names

__all__ = ["DateMention", "find_dates", "month_names"]
