//! Byte comparisons inlined for the short strings scoring compares on every
//! lead and activity (kinds, `meta` keys, URL prefixes, rule literals): a libc
//! `memcmp` call costs more than comparing ten bytes.

/// `a == b`. Short inputs are compared without an early exit, so the loop is
/// neither a call nor a branch per byte; long ones use the library compare.
#[inline]
pub(crate) fn eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    if a.len() > 32 {
        return a == b;
    }
    a.iter().zip(b).fold(0u8, |d, (x, y)| d | (x ^ y)) == 0
}

/// `text.starts_with(prefix)`.
#[inline]
pub(crate) fn starts_with(text: &[u8], prefix: &[u8]) -> bool {
    text.len() >= prefix.len() && eq(&text[..prefix.len()], prefix)
}

/// `text.ends_with(suffix)`.
#[inline]
pub(crate) fn ends_with(text: &[u8], suffix: &[u8]) -> bool {
    text.len() >= suffix.len() && eq(&text[text.len() - suffix.len()..], suffix)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #[test]
        fn agree_with_the_library(a in proptest::collection::vec(0u8..4, 0..40),
                                  b in proptest::collection::vec(0u8..4, 0..40)) {
            prop_assert_eq!(eq(&a, &b), a == b);
            prop_assert_eq!(starts_with(&a, &b), a.starts_with(&b));
            prop_assert_eq!(ends_with(&a, &b), a.ends_with(&b));
            prop_assert!(eq(&a, &a));
        }
    }
}
