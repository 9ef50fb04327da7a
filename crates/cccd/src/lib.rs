//! Vietnam's chip citizen identity card (CCCD, Căn cước công dân gắn chip).
#![forbid(unsafe_code)]
