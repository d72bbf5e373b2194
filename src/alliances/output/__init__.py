"""Rows to bytes: the terminal table, machine formats, exports, bibliographies."""
