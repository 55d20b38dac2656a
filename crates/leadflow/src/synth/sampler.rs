//! Seeded sampling of feature rows.
//!
//! Values are derived directly from the `ChaCha8` output words (never through
//! `rand`'s distribution types, whose output may change between versions), so a
//! `(seed, index)` gives the same row on every platform and every release.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::row::FeatureRow;
use super::vocab::{
    COUNTRIES, EMAIL_DOMAINS, FIRST_NAMES, INDUSTRIES, LAST_NAMES, SOURCES, TITLES,
};

/// A small deterministic sampler over one `ChaCha8` stream.
#[derive(Debug, Clone)]
pub(crate) struct Sampler {
    rng: ChaCha8Rng,
}

impl Sampler {
    pub(crate) fn new(seed: u64, stream: u64) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(stream);
        Sampler { rng }
    }

    /// Uniform in `0..n` (`n > 0`); multiply-shift, bias below `n / 2^64`.
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        let wide = u128::from(self.rng.next_u64()) * u128::from(n);
        // The high 64 bits of a u64 x u64 product always fit in u64.
        u64::try_from(wide >> 64).unwrap_or(0)
    }

    /// Uniform in `0..=max`.
    pub(crate) fn upto(&mut self, max: u32) -> u32 {
        u32::try_from(self.below(u64::from(max) + 1)).unwrap_or(max)
    }

    /// Uniform in `[0, 1)` with 53 random bits.
    pub(crate) fn unit(&mut self) -> f64 {
        (self.rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// True with probability `p`.
    pub(crate) fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// A uniformly chosen element.
    pub(crate) fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        let i = usize::try_from(self.below(items.len() as u64)).unwrap_or(0);
        items[i]
    }
}

/// Draws the next row. The draw order is part of the data definition.
pub(crate) fn sample_row(s: &mut Sampler, index: u64) -> FeatureRow {
    let title = s.pick(&TITLES).to_owned();
    // Log-uniform on [1, 100000]: exp(u * ln 100000), rounded.
    let employees = (s.unit() * 100_000f64.ln()).exp().round();
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // in 1.0..=100000.0
    let employees = employees as u64;
    // Whole currency units so every language parses the same value.
    let revenue = (employees as f64 * (50_000.0 + s.unit() * 250_000.0)).round();
    let industry = s.pick(&INDUSTRIES).to_owned();
    let country = s.pick(&COUNTRIES).to_owned();
    let first = s.pick(&FIRST_NAMES);
    let last = s.pick(&LAST_NAMES);
    let domain = s.pick(&EMAIL_DOMAINS);
    let email = format!("{first}.{last}{index}@{domain}");
    let source = s.pick(&SOURCES).to_owned();
    let days_since_activity = s.upto(179);
    let page_views = s.upto(39);
    let email_opens = s.upto(24);
    let email_clicks = s.upto(5);
    let form_fills = s.upto(2);
    // Pricing visits are page views: drawn 0..=5, then capped by the page views.
    let pricing_visits = s.upto(5).min(page_views);
    let demo_requested = s.chance(0.10);
    // The demo request is one of the form submissions.
    let form_fills = if demo_requested {
        form_fills.max(1)
    } else {
        form_fills
    };
    let webinar_attended = s.chance(0.20);
    let unsubscribed = s.chance(0.05);
    FeatureRow {
        title,
        employees,
        revenue,
        industry,
        country,
        email,
        source,
        days_since_activity,
        page_views,
        email_opens,
        email_clicks,
        form_fills,
        demo_requested,
        pricing_visits,
        webinar_attended,
        unsubscribed,
    }
}
