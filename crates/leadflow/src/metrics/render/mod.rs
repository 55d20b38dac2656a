//! Rendering a metrics report as terminal tables and as one self-contained HTML page.
