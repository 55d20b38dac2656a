//! The fixed vocabularies of the reference workload. Every value is drawn
//! uniformly from its list; the order of each list is part of the data
//! definition (changing it changes every generated data set).

/// 16 job titles: 3 VP, 3 Director, 4 C-level, 2 Intern/Student, 4 individual
/// contributors. "Director of Student Programs" deliberately matches two rules
/// (Director +8, Student -10) so engines that stop at the first match disagree.
pub const TITLES: [&str; 16] = [
    "VP Sales",
    "VP of Marketing",
    "Vice President, Engineering",
    "Director of Marketing",
    "IT Director",
    "Director of Student Programs",
    "Chief Executive Officer",
    "CEO",
    "CTO",
    "Chief Marketing Officer",
    "Marketing Intern",
    "Student",
    "Software Engineer",
    "Account Executive",
    "Marketing Manager",
    "Data Analyst",
];

/// 7 industries.
pub const INDUSTRIES: [&str; 7] = [
    "Software",
    "Finance",
    "Healthcare",
    "Manufacturing",
    "Retail",
    "Education",
    "Media",
];

/// 10 ISO 3166-1 alpha-2 country codes; the first four score.
pub const COUNTRIES: [&str; 10] = ["US", "CA", "GB", "DE", "FR", "JP", "IN", "BR", "AU", "NL"];

/// 6 email domains; the first two are free-mail.
pub const EMAIL_DOMAINS: [&str; 6] = [
    "gmail.com",
    "yahoo.com",
    "acme.com",
    "globex.com",
    "initech.com",
    "umbrella.io",
];

/// 6 lead sources.
pub const SOURCES: [&str; 6] = [
    "referral",
    "paid_search",
    "organic_search",
    "social",
    "event",
    "content",
];

/// First and last names for the email local part (`ana.ito42@acme.com`).
pub(crate) const FIRST_NAMES: [&str; 8] = [
    "ana", "ben", "chen", "dara", "eli", "fatima", "goro", "hana",
];
pub(crate) const LAST_NAMES: [&str; 8] = [
    "ito", "jones", "kim", "lopez", "muller", "novak", "okafor", "patel",
];

/// Non-pricing page paths (none starts with `/pricing`).
pub(crate) const PAGES: [&str; 5] = [
    "/",
    "/product",
    "/blog/lead-scoring",
    "/docs/start",
    "/customers",
];
/// Pricing page paths (all start with `/pricing`).
pub(crate) const PRICING_PAGES: [&str; 2] = ["/pricing", "/pricing/enterprise"];
/// Forms other than the demo request.
pub(crate) const OTHER_FORMS: [&str; 3] = ["contact", "newsletter", "ebook"];
