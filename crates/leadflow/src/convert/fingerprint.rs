//! The fingerprint a plan records and `apply` checks: FNV-1a (64 bit) of the
//! lead's JSON, stable across runs, platforms and bindings.

use std::cell::RefCell;

use crate::model::Lead;

const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const PRIME: u64 = 0x0100_0000_01b3;
/// A buffer grown beyond this by a huge lead is released after use.
const KEEP: usize = 1 << 20;

thread_local! {
    /// The JSON text being hashed, reused across leads: writing into a buffer
    /// and hashing it in one loop is several times faster than hashing the
    /// serializer's many small writes (timestamps arrive a character at a time).
    static TEXT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// `fnv1a64:<16 hex digits>` of the lead's JSON.
pub(crate) fn fingerprint(lead: &Lead) -> String {
    let hash = TEXT.with(|cell| match cell.try_borrow_mut() {
        Ok(mut text) => {
            let h = hash_json(lead, &mut text);
            if text.capacity() > KEEP {
                *text = Vec::new();
            }
            h
        }
        // Only if hashing ever re-entered itself: a buffer of its own.
        Err(_) => hash_json(lead, &mut Vec::new()),
    });
    format!("fnv1a64:{hash:016x}")
}

fn hash_json(lead: &Lead, text: &mut Vec<u8>) -> u64 {
    text.clear();
    // Writing plain data to a Vec cannot fail (string keys, finite or null numbers).
    let _ = serde_json::to_writer(&mut *text, lead);
    fnv1a(text)
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .fold(OFFSET, |h, b| (h ^ u64::from(*b)).wrapping_mul(PRIME))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::parse_timestamp;

    #[test]
    fn hashes_the_json_text() {
        // FNV-1a 64 test vectors.
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(b"foobar"), 0x8594_4171_f739_67e8);
        let mut lead = Lead::new("L-1", parse_timestamp("2026-01-01T00:00:00Z").unwrap());
        lead.company = Some("Acme".into());
        let json = serde_json::to_vec(&lead).unwrap();
        assert_eq!(fingerprint(&lead), format!("fnv1a64:{:016x}", fnv1a(&json)));
        lead.company = Some("Acme2".into());
        assert_ne!(fingerprint(&lead), format!("fnv1a64:{:016x}", fnv1a(&json)));
    }
}
