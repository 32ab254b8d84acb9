//! Moments rules that need no browser: the posts as the API sends them, when text folds, what a
//! like shows while its request is out, and the window of a long feed (which posts are on
//! screen, found in O(log n) per scroll from their measured heights).

use std::ops::Range;
use crate::json_record;
use crate::json::{FromJson, Json, JsonError, ToJson};

#[derive(Clone, Debug, PartialEq)]
pub struct StaffAuthor {
    pub staff_id: String,
    pub name: String,
    pub title: String,
    pub avatar_url: String,
}
json_record!(read write StaffAuthor { staff_id, name, title, avatar_url });

#[derive(Clone, Debug, PartialEq)]
pub struct MomentImage {
    pub url: String,
    pub width: u32,
    pub height: u32,
}
json_record!(read write MomentImage { url, width, height });

#[derive(Clone, Debug, PartialEq)]
pub struct MomentVideo {
    pub url: String,
    pub poster_url: String,
    pub width: u32,
    pub height: u32,
    pub duration_s: u32,
}
json_record!(read write MomentVideo { url, poster_url, width, height, duration_s });

#[derive(Clone, Debug, PartialEq)]
pub struct MomentLink {
    pub url: String,
    pub title: String,
    pub cover_url: Option<String>,
}
json_record!(read write MomentLink { url, title, cover_url });

/// Exactly one kind of attachment per post (`{"kind": "images", "images": …}`).
#[derive(Clone, Debug, PartialEq)]
pub enum Attachment {
    Images { images: Vec<MomentImage> },
    Video { video: MomentVideo },
    Link { link: MomentLink },
}

impl ToJson for Attachment {
    fn to_json(&self) -> Json {
        let (kind, body) = match self {
            Attachment::Images { images } => ("images", images.to_json()),
            Attachment::Video { video } => ("video", video.to_json()),
            Attachment::Link { link } => ("link", link.to_json()),
        };
        Json::object(vec![("kind", kind.into()), (kind, body)])
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct CommentAuthor {
    pub user_id: String,
    pub name: String,
    pub avatar_url: String,
    pub is_staff: bool,
}
json_record!(read write CommentAuthor { user_id, name, avatar_url, is_staff });

#[derive(Clone, Debug, PartialEq)]
pub struct ReplyTo {
    pub comment_id: String,
    pub author_name: String,
}
json_record!(read write ReplyTo { comment_id, author_name });

#[derive(Clone, Debug, PartialEq)]
pub struct MomentComment {
    pub comment_id: String,
    pub post_id: String,
    pub author: CommentAuthor,
    pub text: String,
    pub reply_to: Option<ReplyTo>,
    pub created_at: i64,
    pub mine: bool,
}
json_record!(read write MomentComment { comment_id, post_id, author, text, reply_to, created_at, mine });

#[derive(Clone, Debug, PartialEq)]
pub struct Moment {
    pub post_id: String,
    pub author: StaffAuthor,
    pub text: String,
    /// An attachment this app cannot show is dropped rather than failing the whole page.
    pub attachment: Option<Attachment>,
    pub created_at: i64,
    pub like_count: i64,
    pub liked_by_me: bool,
    pub comment_count: i64,
    pub first_comments: Vec<MomentComment>,
}

impl FromJson for Moment {
    fn from_json(v: &Json) -> Result<Self, JsonError> {
        let r = v.record()?;
        Ok(Moment {
            post_id: r.field("post_id")?,
            author: r.field("author")?,
            text: r.field("text")?,
            attachment: r.get("attachment").and_then(Attachment::from_value),
            created_at: r.field("created_at")?,
            like_count: r.field("like_count")?,
            liked_by_me: r.field("liked_by_me")?,
            comment_count: r.field("comment_count")?,
            first_comments: r.field_or_default("first_comments")?,
        })
    }
}
json_record!(write Moment { post_id, author, text, attachment, created_at, like_count, liked_by_me, comment_count, first_comments });

impl Attachment {
    /// The attachment `kind` says, or `None` for one this app cannot show (unknown, or broken).
    pub fn from_value(value: &Json) -> Option<Attachment> {
        match value["kind"].as_str()? {
            "images" => FromJson::from_json(&value["images"]).ok().map(|images| Attachment::Images { images }),
            "video" => FromJson::from_json(&value["video"]).ok().map(|video| Attachment::Video { video }),
            "link" => FromJson::from_json(&value["link"]).ok().map(|link| Attachment::Link { link }),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct MomentPage {
    pub posts: Vec<Moment>,
    pub next_cursor: Option<String>,
}
json_record!(read write MomentPage { posts, next_cursor });

/// The newest post as the home page shows it: who and what, one line. Decoding only these
/// fields keeps the feed's full decoders (attachments, comments) out of the start-up module.
#[derive(Clone, Debug, PartialEq)]
pub struct MomentHeadline {
    pub author: AuthorName,
    pub text: String,
}
json_record!(read MomentHeadline { author, text });

#[derive(Clone, Debug, PartialEq)]
pub struct AuthorName {
    pub name: String,
}
json_record!(read AuthorName { name });

/// `GET /moments?limit=1` read for its headline only (other fields are ignored).
#[derive(Clone, Debug, PartialEq)]
pub struct LatestMoments {
    pub posts: Vec<MomentHeadline>,
}
json_record!(read LatestMoments { posts });

impl LatestMoments {
    /// "author：text" of the newest post, if there is one.
    pub fn headline(&self) -> Option<String> {
        self.posts.first().map(|p| format!("{}：{}", p.author.name, p.text))
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct CommentPage {
    pub comments: Vec<MomentComment>,
    pub next_cursor: Option<String>,
}
json_record!(read write CommentPage { comments, next_cursor });

/// Lines a post's text shows before "全文".
pub const FOLDED_LINES: usize = 6;
/// Characters a line holds on a narrow phone (CJK characters count as two halves of Latin).
pub const LINE_WIDTH: usize = 20;

/// Whether text is long enough to fold: more than `max_lines` lines of `width` wide
/// characters (Latin letters count half), counting its own line breaks.
pub fn needs_fold(text: &str, width: usize, max_lines: usize) -> bool {
    let width = width.max(1) * 2;
    let mut lines = 0usize;
    for line in text.split('\n') {
        let halves: usize = line.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum();
        lines += halves.div_ceil(width).max(1);
        if lines > max_lines {
            return true;
        }
    }
    false
}

/// "2:05" for a video's length.
pub fn duration_label(seconds: u32) -> String {
    format!("{}:{:02}", seconds / 60, seconds % 60)
}

/// The count a like button shows: the server's last word, moved by what the person wants now.
pub fn shown_likes(confirmed_liked: bool, confirmed_count: i64, wanted: bool) -> i64 {
    let count = confirmed_count.max(0);
    match (confirmed_liked, wanted) {
        (false, true) => count + 1,
        (true, false) => (count - 1).max(0),
        _ => count,
    }
}

/// Heights of a long list's rows with prefix sums in a Fenwick tree: a row's offset, the row at
/// a scroll position, and a height update are all O(log n), so scrolling 10,000 posts costs
/// the same per frame as scrolling ten.
#[derive(Clone, Debug)]
pub struct HeightIndex {
    tree: Vec<f64>,
    heights: Vec<f64>,
}

impl HeightIndex {
    /// `n` rows, each `estimate` tall until measured.
    pub fn new(n: usize, estimate: f64) -> HeightIndex {
        let mut index = HeightIndex { tree: vec![0.0; n + 1], heights: vec![estimate; n] };
        // Linear build.
        for i in 1..=n {
            index.tree[i] += estimate;
            let parent = i + (i & i.wrapping_neg());
            if parent <= n {
                let carried = index.tree[i];
                index.tree[parent] += carried;
            }
        }
        index
    }

    pub fn len(&self) -> usize {
        self.heights.len()
    }

    pub fn is_empty(&self) -> bool {
        self.heights.is_empty()
    }

    /// Grows to `n` rows (new ones at `estimate`).
    pub fn extend_to(&mut self, n: usize, estimate: f64) {
        while self.heights.len() < n {
            self.heights.push(0.0);
            self.tree.push(0.0);
            let i = self.heights.len();
            // A new last node covers (i - lowbit(i), i]: rebuild its sum from the rows under it.
            let low = i & i.wrapping_neg();
            self.tree[i] = self.heights[i - low..i - 1].iter().sum();
            self.set(i - 1, estimate);
        }
    }

    pub fn height(&self, i: usize) -> f64 {
        self.heights.get(i).copied().unwrap_or(0.0)
    }

    /// Sets row `i`'s measured height.
    pub fn set(&mut self, i: usize, height: f64) {
        let Some(old) = self.heights.get(i).copied() else { return };
        let height = if height.is_finite() { height.max(0.0) } else { old };
        let delta = height - old;
        self.heights[i] = height;
        let mut k = i + 1;
        while k < self.tree.len() {
            self.tree[k] += delta;
            k += k & k.wrapping_neg();
        }
    }

    /// Where row `i` starts (the sum of the rows before it).
    pub fn offset(&self, i: usize) -> f64 {
        let mut k = i.min(self.heights.len());
        let mut sum = 0.0;
        while k > 0 {
            sum += self.tree[k];
            k -= k & k.wrapping_neg();
        }
        sum
    }

    pub fn total(&self) -> f64 {
        self.offset(self.heights.len())
    }

    /// The row at distance `y` from the top (the last row past the end).
    pub fn row_at(&self, y: f64) -> usize {
        let n = self.heights.len();
        if n == 0 {
            return 0;
        }
        let mut pos = 0usize;
        let mut rest = y.max(0.0);
        let mut step = n.next_power_of_two();
        while step > 0 {
            let next = pos + step;
            if next <= n && self.tree[next] <= rest {
                pos = next;
                rest -= self.tree[next];
            }
            step >>= 1;
        }
        pos.min(n - 1)
    }

    /// The rows to render for a viewport `[top, top + height)`, with `overscan` pixels more on
    /// each side.
    pub fn window(&self, top: f64, height: f64, overscan: f64) -> Range<usize> {
        if self.heights.is_empty() {
            return 0..0;
        }
        let first = self.row_at(top - overscan);
        let last = self.row_at(top + height + overscan);
        first..(last + 1).min(self.heights.len())
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use crate::json;

    #[test]
    fn each_attachment_kind_parses_and_an_unknown_one_is_dropped() {
        let post = |attachment: Json| {
            Moment::from_json(&json!({"post_id": "m1", "author": {"staff_id": "s", "name": "小林", "title": "搭配师", "avatar_url": ""},
                "text": "t", "attachment": attachment, "created_at": 1, "like_count": 2, "liked_by_me": false, "comment_count": 0, "first_comments": []}))
            .expect("post")
        };
        assert!(matches!(post(json!({"kind": "images", "images": [{"url": "/a", "width": 3, "height": 4}]})).attachment, Some(Attachment::Images { .. })));
        assert!(matches!(post(json!({"kind": "video", "video": {"url": "/v", "poster_url": "/p", "width": 1, "height": 1, "duration_s": 65}})).attachment, Some(Attachment::Video { .. })));
        assert!(matches!(post(json!({"kind": "link", "link": {"url": "https://x.cn", "title": "文章"}})).attachment, Some(Attachment::Link { .. })));
        assert_eq!(post(json!(null)).attachment, None);
        assert_eq!(post(json!({"kind": "hologram"})).attachment, None, "unknown kinds do not break the feed");
        assert_eq!(post(json!({"kind": "video", "video": {"url": "/v"}})).attachment, None, "a broken attachment is dropped, the post kept");
        assert_eq!(post(json!({"kind": "images"})).attachment, None);
        assert_eq!(post(json!({"images": [{"url": "/a", "width": 3, "height": 4}]})).attachment, None, "no kind, no attachment");
        assert_eq!(post(json!([1, 2])).attachment, None);
        // As the API client decodes it: from the answer's text.
        let text = r#"{"posts": [{"post_id": "m1", "author": {"staff_id": "s", "name": "小林", "title": "搭配师", "avatar_url": ""}, "text": "t",
            "attachment": {"kind": "link", "link": {"url": "https://x.cn", "title": "文章", "cover_url": null}, "extra": 1}, "created_at": 1,
            "like_count": 2, "liked_by_me": false, "comment_count": 0}], "next_cursor": null}"#;
        let page: MomentPage = crate::json::from_str(text).expect("page");
        assert_eq!(page.posts[0].attachment, Some(Attachment::Link { link: MomentLink { url: "https://x.cn".into(), title: "文章".into(), cover_url: None } }));
    }

    proptest! {
        /// The contract's tagged shape, written out here, reads back; so does what the app writes.
        #[test]
        fn every_attachment_reads_back_from_its_json(kind in 0usize..3, n in 0usize..4, text in "\\PC{0,12}", size in 0u32..5000, cover in proptest::option::of("[a-z/]{0,8}")) {
            let attachment = match kind {
                0 => Attachment::Images { images: (0..n).map(|i| MomentImage { url: format!("/{text}{i}"), width: size, height: size + 1 }).collect() },
                1 => Attachment::Video { video: MomentVideo { url: text.clone(), poster_url: text.clone(), width: size, height: size, duration_s: size } },
                _ => Attachment::Link { link: MomentLink { url: text.clone(), title: text.clone(), cover_url: cover } },
            };
            let value = match &attachment {
                Attachment::Images { images } => json!({"kind": "images", "images": images.iter().map(|i| json!({"url": i.url, "width": i.width, "height": i.height})).collect::<Vec<_>>()}),
                Attachment::Video { video: v } => json!({"kind": "video", "video": {"url": v.url, "poster_url": v.poster_url, "width": v.width, "height": v.height, "duration_s": v.duration_s}}),
                Attachment::Link { link } => json!({"kind": "link", "link": {"url": link.url, "title": link.title, "cover_url": link.cover_url}}),
            };
            prop_assert_eq!(Attachment::from_value(&value), Some(attachment.clone()));
            prop_assert_eq!(Attachment::from_value(&attachment.to_json()), Some(attachment));
        }
    }

    #[test]
    fn the_headline_reads_a_full_feed_page_and_says_who_and_what() {
        let page = json!({"posts": [{"post_id": "m1", "author": {"staff_id": "s", "name": "小林", "title": "搭配师", "avatar_url": ""},
            "text": "新款到店", "attachment": {"kind": "hologram"}, "created_at": 1, "like_count": 2, "liked_by_me": false, "comment_count": 0}],
            "next_cursor": "c2"});
        let latest = LatestMoments::from_json(&page).expect("headline");
        assert_eq!(latest.headline().as_deref(), Some("小林：新款到店"));
        let empty = LatestMoments::from_json(&json!({"posts": [], "next_cursor": null})).expect("empty");
        assert_eq!(empty.headline(), None);
        assert!(LatestMoments::from_json(&json!({"posts": [{"text": "no author"}]})).is_err(), "a post without its author is not shown as one");
    }

    #[test]
    fn long_text_folds_and_short_text_does_not() {
        assert!(!needs_fold("今天到了新款羊绒大衣", LINE_WIDTH, FOLDED_LINES));
        assert!(needs_fold(&"好".repeat(LINE_WIDTH * FOLDED_LINES + 1), LINE_WIDTH, FOLDED_LINES));
        assert!(!needs_fold(&"a".repeat(LINE_WIDTH * 2 * FOLDED_LINES), LINE_WIDTH, FOLDED_LINES), "Latin letters are narrow");
        assert!(needs_fold("一\n二\n三\n四\n五\n六\n七", LINE_WIDTH, FOLDED_LINES), "line breaks count");
        assert_eq!(duration_label(125), "2:05");
    }

    #[test]
    fn a_like_shows_at_once_and_never_below_zero() {
        assert_eq!(shown_likes(false, 7, true), 8);
        assert_eq!(shown_likes(true, 8, false), 7);
        assert_eq!(shown_likes(true, 8, true), 8, "a second like counts once");
        assert_eq!(shown_likes(true, 0, false), 0);
    }

    fn naive_offset(h: &[f64], i: usize) -> f64 {
        h[..i].iter().sum()
    }

    proptest! {
        #[test]
        fn the_index_agrees_with_plain_sums(
            start in proptest::collection::vec(1.0f64..800.0, 1..200),
            updates in proptest::collection::vec((0usize..400, 0.0f64..900.0), 0..60),
            grow in 0usize..50,
            y in 0.0f64..200_000.0,
        ) {
            let mut index = HeightIndex::new(start.len(), 300.0);
            let mut plain = vec![300.0; start.len()];
            for (i, h) in start.iter().enumerate() {
                index.set(i, *h);
                plain[i] = *h;
            }
            index.extend_to(start.len() + grow, 250.0);
            plain.resize(start.len() + grow, 250.0);
            for (i, h) in updates {
                let i = i % plain.len();
                index.set(i, h);
                plain[i] = h;
            }
            for i in [0, plain.len() / 2, plain.len()] {
                prop_assert!((index.offset(i) - naive_offset(&plain, i)).abs() < 1e-6);
            }
            let row = index.row_at(y);
            let total: f64 = plain.iter().sum();
            if y < total {
                // The row under y starts at or before it and ends after it.
                prop_assert!(naive_offset(&plain, row) <= y + 1e-6);
                prop_assert!(naive_offset(&plain, row + 1) > y - 1e-6 || plain[row] == 0.0);
            } else {
                prop_assert_eq!(row, plain.len() - 1);
            }
        }

        #[test]
        fn the_window_covers_the_viewport_and_stays_small(heights in proptest::collection::vec(80.0f64..900.0, 1..3000), top in 0.0f64..1_000_000.0) {
            let mut index = HeightIndex::new(heights.len(), 300.0);
            for (i, h) in heights.iter().enumerate() {
                index.set(i, *h);
            }
            let top = top % index.total();
            let w = index.window(top, 667.0, 600.0);
            prop_assert!(index.offset(w.start) <= (top - 600.0).max(0.0) + 1e-6);
            prop_assert!(index.offset(w.end) >= (top + 667.0 + 600.0).min(index.total()) - 1e-6);
            // Rows are at least 80 px: the window never holds more than (667 + 1200) / 80 + 2 rows.
            prop_assert!(w.len() <= 26);
        }
    }
}
