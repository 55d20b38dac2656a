//! Case folding and word splitting for title parsing, without heap allocation
//! for the common case (ASCII titles up to [`STACK`] bytes).

use unicode_normalization::UnicodeNormalization;

/// Longest ASCII title folded on the stack; longer or non-ASCII titles allocate once.
const STACK: usize = 160;
/// Words looked at per title; real titles have far fewer, the rest are ignored.
pub(super) const MAX_TOKENS: usize = 24;

/// Calls `f` with the title lowercased and, when it is not ASCII, NFKC-normalised
/// (full-width `ＣＥＯ` becomes `ceo`, half-width katakana becomes full-width).
pub(super) fn with_folded<R>(title: &str, f: impl FnOnce(&str) -> R) -> R {
    if title.is_ascii() && title.len() <= STACK {
        let mut buf = [0u8; STACK];
        let out = &mut buf[..title.len()];
        out.copy_from_slice(title.as_bytes());
        out.make_ascii_lowercase();
        // ASCII in, ASCII out: always valid UTF-8.
        f(std::str::from_utf8(out).unwrap_or_default())
    } else {
        let folded: String = title.nfkc().flat_map(char::to_lowercase).collect();
        f(&folded)
    }
}

/// One ASCII word of a title.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Token<'a> {
    pub text: &'a str,
    /// Byte offset in the folded title (orders department mentions).
    pub start: usize,
    /// A separator such as `,` `/` `(` `&` ` - ` or a non-Latin character comes
    /// before this word: it starts a new part of the title.
    pub hard_break: bool,
}

/// The words of a title, in a fixed-size array.
#[derive(Debug)]
pub(super) struct Tokens<'a> {
    items: [Token<'a>; MAX_TOKENS],
    len: usize,
}

impl<'a> Tokens<'a> {
    pub fn as_slice(&self) -> &[Token<'a>] {
        &self.items[..self.len]
    }
}

/// Splits a folded title into ASCII alphanumeric words (`co-founder` is `co`,
/// `founder`; `sr.` is `sr`). Non-ASCII text is left to the Japanese scanner.
pub(super) fn tokenize(s: &str) -> Tokens<'_> {
    let mut tokens = Tokens {
        items: [Token::default(); MAX_TOKENS],
        len: 0,
    };
    let bytes = s.as_bytes();
    let mut i = 0;
    let mut hard = true;
    while i < bytes.len() && tokens.len < MAX_TOKENS {
        let b = bytes[i];
        if b.is_ascii_alphanumeric() {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
                i += 1;
            }
            tokens.items[tokens.len] = Token {
                text: &s[start..i],
                start,
                hard_break: hard,
            };
            tokens.len += 1;
            hard = false;
            continue;
        }
        hard |= is_hard_separator(bytes, i);
        i += 1;
    }
    tokens
}

fn is_hard_separator(bytes: &[u8], i: usize) -> bool {
    match bytes[i] {
        b',' | b'/' | b'|' | b'(' | b')' | b'[' | b']' | b';' | b':' | b'+' => true,
        // A hyphen or ampersand splits parts only with space around it:
        // "VP - Sales", "Sales & Marketing", but not "Co-Founder", "R&D", "FP&A".
        b'-' | b'&' => {
            let before = i.checked_sub(1).map(|j| bytes[j]);
            let after = bytes.get(i + 1).copied();
            before.is_none_or(|c| c == b' ') || after.is_none_or(|c| c == b' ')
        }
        // Any non-ASCII byte: Japanese text between English words separates them.
        b => !b.is_ascii(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<(String, bool)> {
        with_folded(s, |f| {
            tokenize(f)
                .as_slice()
                .iter()
                .map(|t| (t.text.to_owned(), t.hard_break))
                .collect()
        })
    }

    #[test]
    fn folds_case_and_width() {
        assert_eq!(with_folded("VP of Sales", str::to_owned), "vp of sales");
        assert_eq!(with_folded("ＣＥＯ", str::to_owned), "ceo");
        assert_eq!(with_folded("ｴﾝｼﾞﾆｱ", str::to_owned), "エンジニア");
    }

    #[test]
    fn splits_words_and_parts() {
        assert_eq!(
            words("Co-Founder & CEO"),
            vec![
                ("co".into(), true),
                ("founder".into(), false),
                ("ceo".into(), true)
            ]
        );
        assert_eq!(
            words("Sr. Manager - Sales"),
            vec![
                ("sr".into(), true),
                ("manager".into(), false),
                ("sales".into(), true)
            ]
        );
        assert_eq!(
            words("取締役CTO"),
            vec![("cto".into(), true)],
            "Japanese text is a separator"
        );
    }

    #[test]
    fn long_titles_are_cut_not_rejected() {
        let long = "word ".repeat(100);
        with_folded(&long, |f| {
            assert_eq!(tokenize(f).as_slice().len(), MAX_TOKENS);
        });
    }
}
