//! DG2 (tag `75`): the encoded face, Doc 9303 Part 10 §4.7.2.
//!
//! `75 { 7F61 { 02 count, 7F60 { A1 header, 5F2E|7F2E data }... } }`. The
//! biometric data block is an ISO/IEC 19794-5 facial record (`5F2E`,
//! starting `FAC\0`) or an ISO/IEC 39794-5 face image data block (`7F2E`,
//! itself BER). The image (JPEG or JPEG 2000) is borrowed from the file.

use crate::Error;
use crate::lds::image::{self, ImageFormat};
use crate::lds::{lds_err, outer};
#[allow(unused_imports)]
use crate::prelude::*;
use crate::tlv::{MAX_DEPTH, Node, Tag, Tlv};

const FILE: &str = "DG2";

/// The biometric header template (`A1`) of ISO/IEC 7816-11 as Doc 9303
/// uses it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct BiometricHeader<'a> {
    /// `80`: patron header version.
    #[cfg_attr(feature = "serde", serde(serialize_with = "crate::lds::ser::opt_hex"))]
    pub version: Option<&'a [u8]>,
    /// `81`: biometric type (2 = facial features).
    pub biometric_type: Option<u32>,
    /// `82`: biometric subtype.
    pub biometric_subtype: Option<u32>,
    /// `83`: creation date and time.
    #[cfg_attr(feature = "serde", serde(serialize_with = "crate::lds::ser::opt_hex"))]
    pub creation_date: Option<&'a [u8]>,
    /// `85`: validity period.
    #[cfg_attr(feature = "serde", serde(serialize_with = "crate::lds::ser::opt_hex"))]
    pub validity_period: Option<&'a [u8]>,
    /// `86`: creator of the biometric reference data.
    #[cfg_attr(feature = "serde", serde(serialize_with = "crate::lds::ser::opt_hex"))]
    pub creator: Option<&'a [u8]>,
    /// `87`: format owner (`0101` = ISO/IEC JTC 1/SC 37).
    pub format_owner: Option<u32>,
    /// `88`: format type (`0008` = ISO/IEC 19794-5).
    pub format_type: Option<u32>,
}

/// Which standard the biometric data block follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum FaceContainer {
    /// ISO/IEC 19794-5 (tag `5F2E`, `FAC\0`).
    Iso19794_5,
    /// ISO/IEC 39794-5 (tag `7F2E`, BER encoded).
    Iso39794_5,
}

/// The general header of an ISO/IEC 19794-5 facial record.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct FacialRecordHeader {
    /// The version, e.g. `"010"`.
    pub version: String,
    /// The record length the header states.
    pub record_length: u32,
    /// The number of facial images.
    pub number_of_faces: u16,
}

/// The facial information and image information blocks of one ISO/IEC
/// 19794-5 (version 010) facial record.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct FacialInfo {
    /// Facial record data length (the whole block).
    pub block_length: u32,
    /// Number of feature points.
    pub feature_points: u16,
    /// Gender: 0 unspecified, 1 male, 2 female, 0xFF unknown.
    pub gender: u8,
    /// Eye colour code.
    pub eye_colour: u8,
    /// Hair colour code.
    pub hair_colour: u8,
    /// Feature mask (24 bits).
    pub feature_mask: u32,
    /// Expression code.
    pub expression: u16,
    /// Pose angle: yaw, pitch, roll.
    pub pose_angle: [u8; 3],
    /// Pose angle uncertainty: yaw, pitch, roll.
    pub pose_angle_uncertainty: [u8; 3],
    /// Face image type: 0 basic, 1 full frontal, 2 token frontal.
    pub face_image_type: u8,
    /// Image data type: 0 JPEG, 1 JPEG 2000.
    pub image_data_type: u8,
    /// Width in pixels, as the record states.
    pub width: u16,
    /// Height in pixels, as the record states.
    pub height: u16,
    /// Image colour space code.
    pub colour_space: u8,
    /// Source type code.
    pub source_type: u8,
    /// Device type.
    pub device_type: u16,
    /// Quality.
    pub quality: u16,
}

/// What an ISO/IEC 39794-5 ImageInformation2DBlock says of the image.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ImageInformation2D {
    /// imageDataFormat code: 2 JPEG, 3 JPEG 2000 lossy, 4 JPEG 2000 lossless.
    pub image_data_format: Option<u32>,
    /// imageSizeBlock width.
    pub width: Option<u32>,
    /// imageSizeBlock height.
    pub height: Option<u32>,
}

/// One face image.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct FaceImage<'a> {
    /// The ISO/IEC 19794-5 facial and image information, when the record
    /// is one (version 010).
    pub facial_info: Option<FacialInfo>,
    /// The ISO/IEC 39794-5 image information, when the block is one.
    pub information_2d: Option<ImageInformation2D>,
    /// The image encoding, recognised from the image bytes.
    pub format: ImageFormat,
    /// Width in pixels: from the facial record (19794-5) or the image size
    /// block (39794-5), else from the image headers.
    pub width: Option<u32>,
    /// Height in pixels, found the same way as the width.
    pub height: Option<u32>,
    /// Width and height as the image's own headers state them (JPEG SOF,
    /// JP2 `ihdr`, codestream SIZ). They may differ from the facial
    /// record's: the BSI 2008 specimen says 337x449 in its record around a
    /// 413x531 JPEG 2000 image.
    pub image_dimensions: Option<(u32, u32)>,
    /// Offset of the image's first byte in the file.
    pub data_offset: usize,
    /// The image bytes, borrowed from the file.
    #[cfg_attr(
        feature = "serde",
        serde(rename = "data_length", serialize_with = "crate::lds::ser::len")
    )]
    pub data: &'a [u8],
}

/// One biometric information template (`7F60`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct FaceRecord<'a> {
    /// The biometric header template.
    pub header: BiometricHeader<'a>,
    /// Which standard the data block follows.
    pub container: FaceContainer,
    /// The ISO/IEC 19794-5 general header, when there is one.
    pub record_header: Option<FacialRecordHeader>,
    /// The face images of the record.
    pub images: Vec<FaceImage<'a>>,
    /// The biometric data block (value of `5F2E` or `7F2E`).
    #[cfg_attr(feature = "serde", serde(skip))]
    pub data_block: &'a [u8],
}

/// A parsed DG2.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Dg2<'a> {
    /// The file's bytes.
    #[cfg_attr(feature = "serde", serde(skip))]
    pub raw: &'a [u8],
    /// The biometric information templates, in order.
    pub records: Vec<FaceRecord<'a>>,
}

impl<'a> Dg2<'a> {
    /// Parses DG2.
    pub fn parse(raw: &'a [u8]) -> Result<Dg2<'a>, Error> {
        let top = outer(raw, Tag::new(0x75))?;
        let mut records = Vec::new();
        for group in top.children() {
            let group = group?;
            group.expect_tag(Tag::new(0x7F61))?;
            let mut r = group.children();
            let count = r.expect(Tag::new(0x02))?;
            let expected = crate::lds::uint(&count, FILE)?;
            let mut n = 0u64;
            for bit in r {
                let bit = bit?;
                bit.expect_tag(Tag::new(0x7F60))?;
                records.push(parse_bit(&bit)?);
                n = n.saturating_add(1);
            }
            if n != expected {
                return Err(lds_err(
                    FILE,
                    count.offset(),
                    "as many 7F60 templates as the count says",
                ));
            }
        }
        if records.is_empty() {
            return Err(lds_err(
                FILE,
                top.value_offset(),
                "a biometric information group 7F61",
            ));
        }
        Ok(Dg2 { raw, records })
    }

    /// Writes a DG2 holding one ISO/IEC 19794-5 (version 010) facial
    /// record around `image` (JPEG or JPEG 2000, recognised from its bytes),
    /// a full frontal image of `width` x `height`, no feature points.
    pub fn encode_19794(image: &[u8], width: u16, height: u16) -> Vec<u8> {
        let image_data_type = match ImageFormat::detect(image) {
            ImageFormat::Jp2 | ImageFormat::J2k => 1u8,
            _ => 0,
        };
        // 20 bytes of facial information and 12 of image information.
        let block_len = image.len().saturating_add(32);
        let record_len = block_len.saturating_add(14);
        let be32 = |n: usize| u32::try_from(n).unwrap_or(u32::MAX).to_be_bytes();
        let mut fac = Vec::with_capacity(record_len);
        fac.extend_from_slice(b"FAC\0");
        fac.extend_from_slice(b"010\0");
        fac.extend_from_slice(&be32(record_len));
        fac.extend_from_slice(&1u16.to_be_bytes());
        fac.extend_from_slice(&be32(block_len));
        fac.extend_from_slice(&[0; 16]); // feature points, gender... pose
        fac.extend_from_slice(&[1, image_data_type]);
        fac.extend_from_slice(&width.to_be_bytes());
        fac.extend_from_slice(&height.to_be_bytes());
        fac.extend_from_slice(&[0; 6]); // colour space, source, device, quality
        fac.extend_from_slice(image);
        let header = Node::constructed(
            Tag::new(0xA1),
            vec![
                Node::primitive(Tag::new(0x81), vec![0x02]),
                Node::primitive(Tag::new(0x82), vec![0x00]),
                Node::primitive(Tag::new(0x87), vec![0x01, 0x01]),
                Node::primitive(Tag::new(0x88), vec![0x00, 0x08]),
            ],
        );
        let bit = Node::constructed(
            Tag::new(0x7F60),
            vec![header, Node::primitive(Tag::new(0x5F2E), fac)],
        );
        let group = Node::constructed(
            Tag::new(0x7F61),
            vec![Node::primitive(Tag::new(0x02), vec![1]), bit],
        );
        Node::constructed(Tag::new(0x75), vec![group]).encode()
    }

    /// The first face image.
    pub fn face_image(&self) -> Option<&FaceImage<'a>> {
        self.records.iter().flat_map(|r| r.images.iter()).next()
    }
}

fn small_uint(tlv: &Tlv<'_>) -> Option<u32> {
    let v = tlv.value();
    if v.is_empty() || v.len() > 4 {
        return None;
    }
    Some(v.iter().fold(0u32, |acc, b| (acc << 8) | u32::from(*b)))
}

pub(crate) fn parse_header<'a>(tlv: &Tlv<'a>) -> Result<BiometricHeader<'a>, Error> {
    let mut h = BiometricHeader::default();
    for item in tlv.children() {
        let item = item?;
        match item.tag().raw() {
            0x80 => h.version = Some(item.value()),
            0x81 => h.biometric_type = small_uint(&item),
            0x82 => h.biometric_subtype = small_uint(&item),
            0x83 => h.creation_date = Some(item.value()),
            0x85 => h.validity_period = Some(item.value()),
            0x86 => h.creator = Some(item.value()),
            0x87 => h.format_owner = small_uint(&item),
            0x88 => h.format_type = small_uint(&item),
            _ => {}
        }
    }
    Ok(h)
}

/// The two children of a biometric information template (DG2, DG3, DG4):
/// the header template (A1, or another context-specific constructed tag)
/// and the data block, nothing after it. The block's tag is the caller's
/// to check.
pub(crate) fn header_and_block<'a>(
    bit: &Tlv<'a>,
    file: &'static str,
) -> Result<(BiometricHeader<'a>, Tlv<'a>), Error> {
    let mut r = bit.children();
    let header_tlv = r
        .next()
        .transpose()?
        .ok_or_else(|| lds_err(file, bit.value_offset(), "a biometric header template A1"))?;
    if header_tlv.tag().raw() & 0xE0 != 0xA0 {
        return Err(lds_err(
            file,
            header_tlv.offset(),
            "a biometric header template A1",
        ));
    }
    let header = parse_header(&header_tlv)?;
    let block = r
        .next()
        .transpose()?
        .ok_or_else(|| lds_err(file, r.offset(), "a biometric data block 5F2E or 7F2E"))?;
    r.finish()?;
    Ok((header, block))
}

fn parse_bit<'a>(bit: &Tlv<'a>) -> Result<FaceRecord<'a>, Error> {
    let (header, block) = header_and_block(bit, FILE)?;
    match block.tag().raw() {
        0x5F2E => {
            let (record_header, images) = parse_19794(block.value(), block.value_offset())?;
            Ok(FaceRecord {
                header,
                container: FaceContainer::Iso19794_5,
                record_header,
                images,
                data_block: block.value(),
            })
        }
        0x7F2E => {
            let images = find_image(&block, 0).into_iter().collect();
            Ok(FaceRecord {
                header,
                container: FaceContainer::Iso39794_5,
                record_header: None,
                images,
                data_block: block.value(),
            })
        }
        _ => Err(lds_err(
            FILE,
            block.offset(),
            "a biometric data block 5F2E or 7F2E",
        )),
    }
}

/// An image found by its signature in a primitive value of an ISO/IEC
/// 39794-5 block: `representationData2D [0]` of an ImageRepresentation2DBlock,
/// whose sibling `imageInformation2DBlock [1]` gives the image data format
/// (`[0]`) and the image size (`[7] { width [0], height [1] }`).
fn find_image<'a>(tlv: &Tlv<'a>, depth: usize) -> Option<FaceImage<'a>> {
    if depth > MAX_DEPTH || !tlv.tag().is_constructed() {
        return None;
    }
    let children: Vec<Tlv<'a>> = tlv.children().map_while(Result::ok).collect();
    for child in &children {
        if child.tag().is_constructed() {
            if let Some(img) = find_image(child, depth.saturating_add(1)) {
                return Some(img);
            }
            continue;
        }
        let data = child.value();
        if ImageFormat::detect(data) == ImageFormat::Unknown {
            continue;
        }
        let info = children
            .iter()
            .find(|c| c.tag() == Tag::new(0xA1))
            .map(image_information_2d);
        return Some(image_from(data, child.value_offset(), None, info));
    }
    None
}

/// A small non-negative integer in a primitive value.
fn small_value(tlv: &Tlv<'_>) -> Option<u32> {
    let v = tlv.value();
    if v.is_empty() || v.len() > 4 {
        return None;
    }
    Some(v.iter().fold(0u32, |acc, b| (acc << 8) | u32::from(*b)))
}

/// The child of `tlv` with tag `tag`.
fn child<'a>(tlv: &Tlv<'a>, tag: u32) -> Option<Tlv<'a>> {
    tlv.children()
        .map_while(Result::ok)
        .find(|c| c.tag() == Tag::new(tag))
}

fn image_information_2d(info: &Tlv<'_>) -> ImageInformation2D {
    // imageDataFormat [0]: a CHOICE whose `code [0]` is the format code,
    // or (tagged implicitly) the code itself.
    let image_data_format = child(info, 0xA0)
        .and_then(|f| child(&f, 0x80))
        .or_else(|| child(info, 0x80))
        .and_then(|c| small_value(&c));
    let size = child(info, 0xA7);
    let width = size
        .as_ref()
        .and_then(|s| child(s, 0x80))
        .and_then(|c| small_value(&c));
    let height = size
        .as_ref()
        .and_then(|s| child(s, 0x81))
        .and_then(|c| small_value(&c));
    ImageInformation2D {
        image_data_format,
        width,
        height,
    }
}

fn image_from<'a>(
    data: &'a [u8],
    offset: usize,
    facial_info: Option<FacialInfo>,
    information_2d: Option<ImageInformation2D>,
) -> FaceImage<'a> {
    let format = ImageFormat::detect(data);
    let image_dimensions = image::dimensions(data);
    let (width, height) = match (&facial_info, &information_2d) {
        (Some(f), _) => (Some(u32::from(f.width)), Some(u32::from(f.height))),
        (
            None,
            Some(ImageInformation2D {
                width: Some(w),
                height: Some(h),
                ..
            }),
        ) => (Some(*w), Some(*h)),
        _ => image_dimensions.map_or((None, None), |(w, h)| (Some(w), Some(h))),
    };
    FaceImage {
        facial_info,
        information_2d,
        format,
        width,
        height,
        image_dimensions,
        data_offset: offset,
        data,
    }
}

/// A big-endian reader over the 19794-5 record with absolute offsets.
struct Cursor<'a> {
    data: &'a [u8],
    pos: usize,
    base: usize,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize, expected: &'static str) -> Result<&'a [u8], Error> {
        let end = self.pos.checked_add(n);
        let s = end.and_then(|e| self.data.get(self.pos..e));
        match (s, end) {
            (Some(s), Some(e)) => {
                self.pos = e;
                Ok(s)
            }
            _ => Err(lds_err(FILE, self.base.saturating_add(self.pos), expected)),
        }
    }

    fn uint(&mut self, n: usize, expected: &'static str) -> Result<u32, Error> {
        Ok(self
            .take(n, expected)?
            .iter()
            .fold(0u32, |acc, b| (acc << 8) | u32::from(*b)))
    }

    fn u8(&mut self, expected: &'static str) -> Result<u8, Error> {
        Ok(self.take(1, expected)?.first().copied().unwrap_or(0))
    }

    fn u16(&mut self, expected: &'static str) -> Result<u16, Error> {
        u16::try_from(self.uint(2, expected)?).map_err(|_| lds_err(FILE, self.base, expected))
    }

    fn three(&mut self, expected: &'static str) -> Result<[u8; 3], Error> {
        let s = self.take(3, expected)?;
        Ok([
            s.first().copied().unwrap_or(0),
            s.get(1).copied().unwrap_or(0),
            s.get(2).copied().unwrap_or(0),
        ])
    }
}

type Parsed19794<'a> = (Option<FacialRecordHeader>, Vec<FaceImage<'a>>);

fn parse_19794(data: &[u8], base: usize) -> Result<Parsed19794<'_>, Error> {
    let mut c = Cursor { data, pos: 0, base };
    if c.take(4, "the format identifier FAC\\0")? != b"FAC\0" {
        return Err(lds_err(FILE, base, "the format identifier FAC\\0"));
    }
    let version_bytes = c.take(4, "a version like 010\\0")?;
    let version: String = version_bytes
        .iter()
        .take(3)
        .map(|b| char::from(*b))
        .collect();
    let record_length = c.uint(4, "the record length")?;
    let number_of_faces = c.u16("the number of facial images")?;
    let header = FacialRecordHeader {
        version: version.clone(),
        record_length,
        number_of_faces,
    };
    if version != "010" {
        // Other versions have another layout: find the image by its signature.
        let images = data
            .windows(4)
            .position(|w| {
                w == [0xFF, 0xD8, 0xFF, 0xE0]
                    || w == [0, 0, 0, 0x0C]
                    || w == [0xFF, 0x4F, 0xFF, 0x51]
            })
            .and_then(|p| {
                data.get(p..)
                    .map(|d| image_from(d, base.saturating_add(p), None, None))
            })
            .into_iter()
            .collect();
        return Ok((Some(header), images));
    }
    let mut images = Vec::new();
    for _ in 0..number_of_faces {
        let start = c.pos;
        let block_length = c.uint(4, "the facial record data length")?;
        let feature_points = c.u16("the number of feature points")?;
        let gender = c.u8("the gender")?;
        let eye_colour = c.u8("the eye colour")?;
        let hair_colour = c.u8("the hair colour")?;
        let mask = c.three("the feature mask")?;
        let feature_mask = mask.iter().fold(0u32, |acc, b| (acc << 8) | u32::from(*b));
        let expression = c.u16("the expression")?;
        let pose_angle = c.three("the pose angle")?;
        let pose_angle_uncertainty = c.three("the pose angle uncertainty")?;
        let fp_len = usize::from(feature_points).saturating_mul(8);
        c.take(fp_len, "the feature points")?;
        let face_image_type = c.u8("the face image type")?;
        let image_data_type = c.u8("the image data type")?;
        let width = c.u16("the image width")?;
        let height = c.u16("the image height")?;
        let colour_space = c.u8("the image colour space")?;
        let source_type = c.u8("the source type")?;
        let device_type = c.u16("the device type")?;
        let quality = c.u16("the quality")?;
        let used = c.pos.saturating_sub(start);
        let image_len = usize::try_from(block_length)
            .ok()
            .and_then(|b| b.checked_sub(used))
            .ok_or_else(|| {
                lds_err(
                    FILE,
                    base.saturating_add(start),
                    "a facial record length covering its headers",
                )
            })?;
        let image_offset = base.saturating_add(c.pos);
        let image_data = c.take(image_len, "image data as long as the facial record says")?;
        let info = FacialInfo {
            block_length,
            feature_points,
            gender,
            eye_colour,
            hair_colour,
            feature_mask,
            expression,
            pose_angle,
            pose_angle_uncertainty,
            face_image_type,
            image_data_type,
            width,
            height,
            colour_space,
            source_type,
            device_type,
            quality,
        };
        images.push(image_from(image_data, image_offset, Some(info), None));
    }
    Ok((Some(header), images))
}
