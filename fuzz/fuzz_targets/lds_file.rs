//! Every LDS parser, chosen by the first tag (EF.COM, DG1, DG2, DG7, DG11,
//! DG12, DG14, DG15, EF.SOD, EF.CardAccess, EF.CardSecurity): never panics,
//! and a parsed file keeps its raw bytes.
#![no_main]

use icao9303::lds::File;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(file) = File::parse(data) {
        assert_eq!(file.raw(), data);
        if let File::Dg2(dg2) = &file {
            for img in dg2.records.iter().flat_map(|r| r.images.iter()) {
                let end = img.data_offset + img.data.len();
                assert_eq!(&data[img.data_offset..end], img.data);
            }
        }
    }
});
