"""Talking to the outside world: files, iCalendar, AWS."""
