//! Bench only: the criterion benches live in `benches/` (`cargo bench
//! --bench chip|pa|otp|parsers` at the workspace root). This library is
//! empty; cargo needs a target besides the benches to call it a package.
