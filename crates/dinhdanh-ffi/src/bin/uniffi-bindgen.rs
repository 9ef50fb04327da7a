//! UniFFI's binding generator, at this crate's uniffi version.

fn main() {
    uniffi::uniffi_bindgen_main()
}
