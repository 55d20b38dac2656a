//! Rendering a metrics report as terminal tables ([`text`]) and as one
//! self-contained HTML page with inline SVG charts ([`html`]).

pub mod format;
pub mod html;
mod svg;
pub mod text;

pub use html::render_html;
pub use text::render_text;
