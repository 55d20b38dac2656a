//! HTML.
use crate::metrics::MetricsReport;
/// Renders HTML.
pub fn render_html(_r: &MetricsReport) -> String {
    String::new()
}
