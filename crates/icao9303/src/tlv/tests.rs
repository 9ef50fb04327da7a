use proptest::prelude::*;

use super::*;

fn tlv_err(r: Result<impl fmt::Debug, Error>) -> (usize, TlvErrorKind) {
    match r {
        Err(Error::Tlv { offset, kind }) => (offset, kind),
        other => panic!("expected a TLV error, got {other:?}"),
    }
}

#[test]
fn tag_properties() {
    let t = Tag::new(0x5F1F);
    assert_eq!(t.class(), TagClass::Application);
    assert!(!t.is_constructed());
    assert_eq!(t.number(), 31);
    assert_eq!(t.encoded_len(), 2);
    assert!(t.is_valid());
    assert_eq!(t.to_string(), "5F1F");
    let t = Tag::new(0x7F61);
    assert!(t.is_constructed());
    assert_eq!(t.number(), 0x61);
    assert_eq!(Tag::new(0x61).number(), 1);
    assert_eq!(Tag::new(0xA0).class(), TagClass::ContextSpecific);
    assert_eq!(Tag::new(0x30).class(), TagClass::Universal);
    assert!(!Tag::new(0x1F).is_valid());
    assert!(!Tag::new(0x5F81).is_valid());
    assert!(Tag::new(0x5F8101).is_valid());
    assert_eq!(Tag::new(0x5F8101).number(), 0x81);
    assert_eq!(
        Tag::from_bytes(&[0x5F, 0x1F, 0x00]),
        Some((Tag::new(0x5F1F), 2))
    );
}

#[test]
fn lengths_written_shortest() {
    for (len, want) in [
        (0usize, vec![0x00]),
        (0x7F, vec![0x7F]),
        (0x80, vec![0x81, 0x80]),
        (0xFF, vec![0x81, 0xFF]),
        (0x100, vec![0x82, 0x01, 0x00]),
        (0x1_0000, vec![0x83, 0x01, 0x00, 0x00]),
        (0x100_0000, vec![0x84, 0x01, 0x00, 0x00, 0x00]),
    ] {
        let mut out = Vec::new();
        write_length(&mut out, len);
        assert_eq!(out, want, "length {len}");
        assert_eq!(read_length(&out, 0).unwrap(), (len, want.len()));
    }
}

#[test]
fn reads_nested() {
    // 61 { 5F1F "AB" }
    let b = [0x61, 0x05, 0x5F, 0x1F, 0x02, b'A', b'B'];
    let t = Tlv::parse(&b).unwrap();
    assert_eq!(t.tag(), Tag::new(0x61));
    assert_eq!(t.value_offset(), 2);
    let kids = t.children_vec().unwrap();
    assert_eq!(kids.len(), 1);
    assert_eq!(kids[0].tag(), Tag::new(0x5F1F));
    assert_eq!(kids[0].offset(), 2);
    assert_eq!(kids[0].value(), b"AB");
    assert_eq!(kids[0].value_offset(), 5);
    assert_eq!(t.find(Tag::new(0x5F1F)).unwrap().unwrap().value(), b"AB");
    assert_eq!(t.find(Tag::new(0x5C)).unwrap(), None);
}

#[test]
fn long_lengths_read() {
    let mut v = vec![0x04, 0x82, 0x01, 0x00];
    v.extend(std::iter::repeat_n(0xAA, 256));
    let t = Tlv::parse(&v).unwrap();
    assert_eq!(t.value().len(), 256);
    assert_eq!(t.value_offset(), 4);
    // A non-minimal long form is BER and accepted.
    let t = Tlv::parse(&[0x04, 0x81, 0x01, 0x55]).unwrap();
    assert_eq!(t.value(), [0x55]);
}

#[test]
fn negative_cases() {
    assert_eq!(tlv_err(Tlv::parse(&[])), (0, TlvErrorKind::TruncatedTag));
    assert_eq!(
        tlv_err(Tlv::parse(&[0x5F])),
        (0, TlvErrorKind::TruncatedTag)
    );
    assert_eq!(
        tlv_err(Tlv::parse(&[0x5F, 0x1F])),
        (2, TlvErrorKind::TruncatedLength)
    );
    assert_eq!(
        tlv_err(Tlv::parse(&[0x04, 0x82, 0x01])),
        (1, TlvErrorKind::TruncatedLength)
    );
    assert_eq!(
        tlv_err(Tlv::parse(&[0x04, 0x80, 0x00, 0x00])),
        (1, TlvErrorKind::IndefiniteLength)
    );
    assert_eq!(
        tlv_err(Tlv::parse(&[0x04, 0x85, 1, 0, 0, 0, 0])),
        (1, TlvErrorKind::LengthTooLong { length_bytes: 5 })
    );
    assert_eq!(
        tlv_err(Tlv::parse(&[0x04, 0xFF])),
        (1, TlvErrorKind::LengthTooLong { length_bytes: 0x7F })
    );
    assert_eq!(
        tlv_err(Tlv::parse(&[0x04, 0x03, 1, 2])),
        (
            1,
            TlvErrorKind::LengthOverflow {
                length: 3,
                available: 2
            }
        )
    );
    assert_eq!(
        tlv_err(Tlv::parse(&[0x04, 0x01, 1, 2, 3])),
        (3, TlvErrorKind::TrailingBytes { count: 2 })
    );
    assert_eq!(
        tlv_err(Tlv::parse(&[0x5F, 0x81, 0x82, 0x83, 0x01])),
        (0, TlvErrorKind::TagTooLong)
    );
    // A child whose length runs past its parent's value.
    let b = [0x61, 0x04, 0x5F, 0x1F, 0x05, b'A'];
    let t = Tlv::parse(&b).unwrap();
    assert_eq!(
        tlv_err(t.children_vec()),
        (
            4,
            TlvErrorKind::LengthOverflow {
                length: 5,
                available: 1
            }
        )
    );
    assert_eq!(
        tlv_err(Tlv::parse(&[0x04, 0x00]).unwrap().children_vec()),
        (
            0,
            TlvErrorKind::NotConstructed {
                tag: Tag::new(0x04)
            }
        )
    );
    assert_eq!(
        tlv_err(
            Tlv::parse(&[0x04, 0x00])
                .unwrap()
                .expect_tag(Tag::new(0x61))
                .map(|_| ())
        ),
        (
            0,
            TlvErrorKind::UnexpectedTag {
                expected: Tag::new(0x61),
                found: Tag::new(0x04)
            }
        )
    );
    // Too deep.
    let mut node = Node::primitive(Tag::new(0x04), vec![]);
    for _ in 0..=MAX_DEPTH {
        node = Node::constructed(Tag::new(0x30), vec![node]);
    }
    assert_eq!(
        tlv_err(Node::parse(&node.encode())).1,
        TlvErrorKind::TooDeep
    );
}

#[test]
fn reader_expect_and_finish() {
    let b = [0x02, 0x01, 0x07, 0x0C, 0x00, 0xAA];
    let mut r = Reader::new_at(&b, 10);
    assert_eq!(r.expect(Tag::new(0x02)).unwrap().value(), [7]);
    assert_eq!(r.offset(), 13);
    let t = r.expect(Tag::new(0x0C)).unwrap();
    assert_eq!(t.offset(), 13);
    assert_eq!(
        tlv_err(r.finish()),
        (15, TlvErrorKind::TrailingBytes { count: 1 })
    );
    assert_eq!(
        tlv_err(r.expect(Tag::new(0x02))),
        (16, TlvErrorKind::TruncatedLength)
    );
}

fn arb_tag() -> impl Strategy<Value = Tag> {
    prop_oneof![
        (0u32..=0xFF)
            .prop_filter("single byte", |b| b & 0x1F != 0x1F)
            .prop_map(Tag::new),
        ((0u32..=0xFF), (0x1Fu32..=0x7F)).prop_map(|(c, n)| Tag::new(((c | 0x1F) << 8) | n)),
        ((0u32..=0xFF), (0x81u32..=0xFF), (0u32..=0x7F))
            .prop_map(|(c, a, b)| Tag::new(((c | 0x1F) << 16) | (a << 8) | b)),
    ]
}

fn arb_node() -> impl Strategy<Value = Node> {
    let leaf = (arb_tag(), proptest::collection::vec(any::<u8>(), 0..300)).prop_map(|(t, v)| {
        // A primitive node needs a primitive tag.
        let t = Tag::new(t.raw() & !(0x20 << ((t.encoded_len() - 1) * 8)));
        Node::primitive(t, v)
    });
    leaf.prop_recursive(4, 40, 6, |inner| {
        (arb_tag(), proptest::collection::vec(inner, 0..6)).prop_map(|(t, kids)| {
            let t = Tag::new(t.raw() | (0x20 << ((t.encoded_len() - 1) * 8)));
            Node::constructed(t, kids)
        })
    })
}

proptest! {
    #[test]
    fn parse_write_roundtrip(node in arb_node()) {
        let bytes = node.encode();
        prop_assert_eq!(Node::parse(&bytes)?, node);
    }

    #[test]
    fn tag_roundtrip(tag in arb_tag()) {
        prop_assert!(tag.is_valid());
        prop_assert_eq!(Tag::from_bytes(&tag.to_bytes()), Some((tag, tag.encoded_len())));
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let _ = Node::parse(&bytes);
        for t in Reader::new(&bytes) {
            let Ok(t) = t else { break };
            let _ = t.children_vec();
        }
    }
}
