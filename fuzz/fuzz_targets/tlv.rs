//! The BER-TLV reader on arbitrary bytes: never panics, and every tree it
//! accepts encodes back to bytes that parse to the same tree.
#![no_main]

use icao9303::tlv::{Node, Reader};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for tlv in Reader::new(data) {
        let Ok(tlv) = tlv else { break };
        let _ = tlv.children_vec();
    }
    if let Ok(node) = Node::parse(data) {
        let encoded = node.encode();
        assert_eq!(Node::parse(&encoded).as_ref(), Ok(&node));
    }
});
