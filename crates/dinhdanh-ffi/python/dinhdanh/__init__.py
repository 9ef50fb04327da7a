"""dinhdanh: Vietnam's chip citizen ID card (CCCD) and ICAO Doc 9303 chips.

The names are the binding contract of docs/DESIGN.md section 4; the
implementation is the Rust crate dinhdanh-ffi, through UniFFI.
"""

from .dinhdanh import *  # noqa: F401,F403
