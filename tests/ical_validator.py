"""libical's validator (`icalrestriction_check`), through ctypes on Debian's libical3.

It checks every component against the property cardinalities of RFC 5545 and, when the
calendar has a METHOD, the iTIP restrictions of RFC 5546 for that method (a PUBLISH event
without ORGANIZER: "Failed iTIP restrictions for ORGANIZER property"). Problems come back as
X-LIC-ERROR properties on the components; this returns their texts.

`.ci/run` installs libical3 where it is missing; without it the tests that need it fail
(never skip), saying how to install it.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import re

import pytest

_LIB: ctypes.CDLL | None = None


def _library() -> ctypes.CDLL | None:
    global _LIB
    if _LIB is None:
        name = ctypes.util.find_library("ical")
        if name is None:
            return None
        lib = ctypes.CDLL(name)
        lib.icalparser_parse_string.restype = ctypes.c_void_p
        lib.icalparser_parse_string.argtypes = [ctypes.c_char_p]
        lib.icalrestriction_check.restype = ctypes.c_int
        lib.icalrestriction_check.argtypes = [ctypes.c_void_p]
        lib.icalcomponent_as_ical_string.restype = ctypes.c_char_p
        lib.icalcomponent_as_ical_string.argtypes = [ctypes.c_void_p]
        lib.icalcomponent_free.restype = None
        lib.icalcomponent_free.argtypes = [ctypes.c_void_p]
        _LIB = lib
    return _LIB


def require_libical() -> ctypes.CDLL:
    lib = _library()
    if lib is None:
        pytest.fail("libical3 is not installed: apt-get install libical3 (.ci/run does)")
    return lib


_ERROR = re.compile(rb"^X-LIC-ERROR[^:]*:([^\r\n]*(?:\r\n[ \t][^\r\n]*)*)", re.MULTILINE)


def libical_errors(data: bytes) -> list[str]:
    """Every problem libical's parser and validator find in the calendar `data`."""
    lib = require_libical()
    component = lib.icalparser_parse_string(data)
    if not component:
        return ["libical could not parse the calendar"]
    try:
        valid = lib.icalrestriction_check(component)
        text = lib.icalcomponent_as_ical_string(component) or b""
    finally:
        lib.icalcomponent_free(component)
    errors = [re.sub(rb"\r\n[ \t]", b"", m.group(1)).decode("utf-8", "replace") for m in _ERROR.finditer(text)]
    if not valid and not errors:
        errors.append("icalrestriction_check failed")
    return errors
