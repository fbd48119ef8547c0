//! A server-rendered SVG chart of a post's days: inbound and outbound as bars, the present count
//! as a line. Only geometry is computed here; `templates/posts/chart.html` draws it, so every
//! label goes through the translations and no HTML is built in code. Time runs in the reading
//! direction: right to left in Arabic.

use chrono::NaiveDate;

use crate::domain::figures::Figure;

/// One day of the series: every non-void entry, and what the pending ones among them add.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ChartDay {
    /// Post-local day.
    pub day: NaiveDate,
    /// People in.
    pub inbound: i64,
    /// People out.
    pub outbound: i64,
    /// Present at the end of the day.
    pub present: i64,
    /// Of `inbound`, awaiting verification.
    pub pending_in: i64,
    /// Of `outbound`, awaiting verification.
    pub pending_out: i64,
    /// What pending entries up to this day add to `present`.
    pub pending_present: i64,
}

impl ChartDay {
    /// People in, verified and pending.
    pub fn inbound_figure(&self) -> Figure {
        Figure::new(self.inbound, self.pending_in)
    }

    /// People out, verified and pending.
    pub fn outbound_figure(&self) -> Figure {
        Figure::new(self.outbound, self.pending_out)
    }

    /// Present at the end of the day, verified and pending.
    pub fn present_figure(&self) -> Figure {
        Figure::new(self.present, self.pending_present)
    }

    /// This day's figures added to `other`'s (another category's, the same day).
    pub fn plus(&self, other: &ChartDay) -> ChartDay {
        ChartDay {
            day: self.day,
            inbound: self.inbound + other.inbound,
            outbound: self.outbound + other.outbound,
            present: self.present + other.present,
            pending_in: self.pending_in + other.pending_in,
            pending_out: self.pending_out + other.pending_out,
            pending_present: self.pending_present + other.pending_present,
        }
    }

    /// None of the day's entries (of this category) awaits verification.
    pub fn verified(&self) -> bool {
        self.pending_in == 0 && self.pending_out == 0
    }
}

/// A bar.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
    /// The value, for the tooltip.
    pub value: i64,
    /// Of the bar's height, the part pending entries add, drawn above the verified part (0 when
    /// all is verified).
    pub pending_h: f64,
    /// The value pending entries add, for the tooltip.
    pub pending: i64,
    /// The day, for the tooltip.
    pub day: NaiveDate,
}

impl Bar {
    /// The bar's value, verified and pending.
    pub fn figure(&self) -> Figure {
        Figure::new(self.value, self.pending)
    }
}

/// The drawn chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// The element's id, unique on its page (`chart`, or `chart-QAIM` in a report of several
    /// posts).
    pub id: String,
    /// The message id of its title (what one bar stands for: a day, or a week or month).
    pub title: &'static str,
    /// Canvas width.
    pub width: f64,
    /// Canvas height.
    pub height: f64,
    /// Inbound bars.
    pub inbound: Vec<Bar>,
    /// Outbound bars.
    pub outbound: Vec<Bar>,
    /// The verified present line's points, `x,y x,y …`.
    pub present: String,
    /// The line of present including pending entries, drawn only where pending entries exist
    /// (`None`: every figure is verified).
    pub present_all: Option<String>,
    /// The value at the top of the scale.
    pub max: i64,
    /// Baseline's y.
    pub baseline: f64,
    /// Top line's y.
    pub top: f64,
    /// Start and end of the axis in drawing order (x1, x2).
    pub axis: (f64, f64),
    /// Day labels: (x, day), a few only.
    pub ticks: Vec<(f64, NaiveDate)>,
}

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 260.0;
const PAD_SIDE: f64 = 48.0;
const PAD_TOP: f64 = 16.0;
const PAD_BOTTOM: f64 = 32.0;

/// Rounds the scale's top up to 1, 2 or 5 times a power of ten, so the label reads well.
fn nice_max(value: i64) -> i64 {
    let value = value.max(1);
    let mut step = 1i64;
    loop {
        for m in [1, 2, 5] {
            if step.saturating_mul(m) >= value {
                return step.saturating_mul(m);
            }
        }
        step = step.saturating_mul(10);
    }
}

impl Chart {
    /// The same chart under another element id.
    pub fn with_id(mut self, id: String) -> Self {
        self.id = id;
        self
    }

    /// The same chart titled by the message `key` (a roll-up's bars are periods, not days).
    pub fn with_title(mut self, key: &'static str) -> Self {
        self.title = key;
        self
    }
}

/// Lays out `days` (in date order); `rtl` puts the first day on the right.
pub fn layout(days: &[ChartDay], rtl: bool) -> Chart {
    let max = nice_max(
        days.iter()
            .map(|d| {
                d.inbound
                    .max(d.outbound)
                    .max(d.present)
                    .max(d.present_figure().verified())
            })
            .max()
            .unwrap_or(0),
    );
    let plot_w = WIDTH - 2.0 * PAD_SIDE;
    let plot_h = HEIGHT - PAD_TOP - PAD_BOTTOM;
    let baseline = HEIGHT - PAD_BOTTOM;
    let n = days.len().max(1) as f64;
    let slot = plot_w / n;
    let bar_w = (slot * 0.35).max(1.0);
    // Centre of slot `i` in reading order.
    let centre = |i: usize| {
        let offset = PAD_SIDE + slot * (i as f64 + 0.5);
        if rtl { WIDTH - offset } else { offset }
    };
    let y_of = |v: i64| baseline - plot_h * (v as f64) / (max as f64);
    let bar = |i: usize, f: Figure, first: bool, day: NaiveDate| {
        // The inbound bar comes first in reading order.
        let before = first != rtl;
        let x = if before { centre(i) - bar_w } else { centre(i) };
        Bar {
            x,
            y: y_of(f.all),
            w: bar_w,
            h: baseline - y_of(f.all),
            value: f.all,
            pending_h: y_of(f.verified()) - y_of(f.all),
            pending: f.pending,
            day,
        }
    };
    let inbound = days
        .iter()
        .enumerate()
        .map(|(i, d)| bar(i, d.inbound_figure(), true, d.day))
        .collect();
    let outbound = days
        .iter()
        .enumerate()
        .map(|(i, d)| bar(i, d.outbound_figure(), false, d.day))
        .collect();
    let line = |value: &dyn Fn(&ChartDay) -> i64| {
        days.iter()
            .enumerate()
            .map(|(i, d)| format!("{:.1},{:.1}", centre(i), y_of(value(d).max(0))))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let present = line(&|d| d.present_figure().verified());
    let present_all = days
        .iter()
        .any(|d| d.pending_present != 0)
        .then(|| line(&|d| d.present));
    // About six labels whatever the period's length.
    let every = days.len().div_ceil(6).max(1);
    let ticks = days
        .iter()
        .enumerate()
        .filter(|(i, _)| i % every == 0)
        .map(|(i, d)| (centre(i), d.day))
        .collect();
    Chart {
        id: "chart".to_owned(),
        title: "chart-title",
        width: WIDTH,
        height: HEIGHT,
        inbound,
        outbound,
        present,
        present_all,
        max,
        baseline,
        top: PAD_TOP,
        axis: (PAD_SIDE, WIDTH - PAD_SIDE),
        ticks,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32, inbound: i64, outbound: i64, present: i64) -> ChartDay {
        ChartDay {
            day: NaiveDate::from_ymd_opt(2024, 12, d).expect("date"),
            inbound,
            outbound,
            present,
            ..ChartDay::default()
        }
    }

    #[test]
    fn a_second_line_includes_pending_entries_only_when_there_are_any() {
        let verified = [day(7, 1000, 0, 1000), day(8, 0, 0, 1000)];
        assert_eq!(layout(&verified, false).present_all, None);
        let mut pending = verified;
        pending[1].inbound = 200;
        pending[1].present = 1200;
        pending[1].pending_in = 200;
        pending[1].pending_present = 200;
        let chart = layout(&pending, false);
        let all = chart.present_all.expect("a line including pending entries");
        // Day 2's point: the verified line stays at 1,000, the other rises to 1,200.
        let last_y = |points: &str| -> f64 {
            points
                .rsplit(' ')
                .next()
                .and_then(|p| p.split(',').nth(1))
                .and_then(|y| y.parse().ok())
                .expect("a point")
        };
        assert!(
            last_y(&all) < last_y(&chart.present),
            "1,200 is drawn higher than 1,000"
        );
    }

    #[test]
    fn the_scale_rounds_up_to_a_readable_number() {
        assert_eq!(nice_max(0), 1);
        assert_eq!(nice_max(7), 10);
        assert_eq!(nice_max(1_100), 2_000);
        assert_eq!(nice_max(1_905), 2_000);
        assert_eq!(nice_max(2_001), 5_000);
    }

    #[test]
    fn bars_scale_to_the_plot_and_time_runs_in_reading_order() {
        let days = [
            day(7, 1000, 0, 1000),
            day(8, 0, 0, 1000),
            day(9, 100, 500, 600),
        ];
        let ltr = layout(&days, false);
        assert_eq!(ltr.max, 1000);
        // A full-height bar reaches the top; an empty one has no height.
        assert_eq!(ltr.inbound[0].y, ltr.top);
        assert_eq!(ltr.inbound[1].h, 0.0);
        assert!(ltr.inbound[0].x < ltr.inbound[2].x, "left to right");
        let rtl = layout(&days, true);
        assert!(rtl.inbound[0].x > rtl.inbound[2].x, "right to left");
        // Mirrored: the first day's bars sit where the last day's are in LTR.
        assert_eq!(
            rtl.inbound[0].x + rtl.inbound[0].w,
            ltr.width - ltr.inbound[0].x
        );
        assert_eq!(ltr.present.split(' ').count(), 3);
    }
}
