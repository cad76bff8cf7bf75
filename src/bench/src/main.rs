//! Benchmarks (filled by the QR decoding issue).
fn main() {}
