"""Calendars of a project: its events (events.py), reminders (alarms.py), iCalendar files
(ics.py) and subscribable feeds per owner, team and application (feeds.py)."""
