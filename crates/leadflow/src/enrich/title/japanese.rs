//! Japanese title keywords (役職 and 部署) and the substring scanner that applies them.
//!
//! Japanese titles have no spaces between words, so keywords are matched as
//! substrings, longest first at each position: 代表取締役 before 取締役,
//! 本部長 before 部長, 副社長 before 社長.

use std::collections::HashMap;
use std::sync::LazyLock;

use super::signal::{Entry, Sig, Signals};
use crate::enrich::role::{Department as D, Seniority as S};

const EXEC: Option<D> = Some(D::Executive);
const SALES: Option<D> = Some(D::Sales);
const MKT: Option<D> = Some(D::Marketing);
const ENG: Option<D> = Some(D::Engineering);
const IT: Option<D> = Some(D::It);
const FIN: Option<D> = Some(D::Finance);
const HR: Option<D> = Some(D::Hr);
const OPS: Option<D> = Some(D::Operations);
const PROD: Option<D> = Some(D::Product);
const LEGAL: Option<D> = Some(D::Legal);
const SUP: Option<D> = Some(D::Support);
const OTHER: Option<D> = Some(D::Other);

const fn r(s: S) -> Sig {
    Sig::Rank(s)
}

/// Keywords after NFKC folding (so half-width katakana is already full-width).
#[rustfmt::skip]
static TABLE: &[Entry] = &[
    // Top management.
    ("代表取締役", r(S::CLevel), EXEC), ("代表執行役", r(S::CLevel), EXEC),
    ("代表理事", r(S::CLevel), EXEC), ("代表社員", r(S::CLevel), EXEC),
    ("代表", r(S::CLevel), EXEC), ("社長", r(S::CLevel), EXEC), ("会長", r(S::CLevel), EXEC),
    ("頭取", r(S::CLevel), EXEC), ("理事長", r(S::CLevel), EXEC),
    ("プレジデント", r(S::CLevel), EXEC),
    ("副社長", r(S::Vp), EXEC), ("副会長", r(S::Vp), EXEC),
    ("社長室", Sig::None, EXEC), ("社長室長", r(S::Manager), EXEC),
    ("経営企画", Sig::None, EXEC), ("経営", Sig::None, EXEC),
    ("創業者", r(S::Owner), EXEC), ("ファウンダー", r(S::Owner), EXEC),
    ("オーナー", r(S::Owner), EXEC), ("プロダクトオーナー", Sig::Ic, PROD),
    // Officers and board.
    ("取締役", r(S::Vp), EXEC), ("専務", r(S::Vp), EXEC), ("常務", r(S::Vp), EXEC),
    ("執行役員", r(S::Vp), EXEC), ("執行役", r(S::Vp), EXEC), ("監査役", r(S::Vp), EXEC),
    ("理事", r(S::Vp), EXEC),
    ("バイスプレジデント", r(S::Vp), None), ("ヴァイスプレジデント", r(S::Vp), None),
    // Division and department heads.
    ("本部長", r(S::Head), None), ("事業本部長", r(S::Head), None),
    ("事業部長", r(S::Head), None), ("統括部長", r(S::Head), None),
    ("副本部長", r(S::Director), None), ("副部長", r(S::Director), None),
    ("部長", r(S::Director), None), ("局長", r(S::Director), None),
    ("所長", r(S::Director), None), ("支店長", r(S::Director), None),
    ("工場長", r(S::Director), None), ("センター長", r(S::Director), None),
    ("ディレクター", r(S::Director), None), ("ゼネラルマネージャー", r(S::Director), None),
    ("ゼネラルマネジャー", r(S::Director), None),
    // Managers.
    ("部長代理", r(S::Manager), None), ("部長補佐", r(S::Manager), None),
    ("次長", r(S::Manager), None), ("課長", r(S::Manager), None), ("室長", r(S::Manager), None),
    ("グループ長", r(S::Manager), None), ("店長", r(S::Manager), None),
    ("マネージャー", r(S::Manager), None), ("マネジャー", r(S::Manager), None),
    ("グループリーダー", r(S::Manager), None), ("チームリーダー", r(S::Manager), None),
    ("アシスタントマネージャー", r(S::Manager), None),
    ("アシスタントディレクター", r(S::Manager), None),
    // As in English, these "managers" manage a product, project or account, not people.
    ("プロダクトマネージャー", Sig::Ic, PROD), ("プロダクトマネジャー", Sig::Ic, PROD),
    ("プロジェクトマネージャー", Sig::Ic, None), ("プロジェクトマネジャー", Sig::Ic, None),
    ("アカウントマネージャー", Sig::Ic, SALES), ("アカウントマネジャー", Sig::Ic, SALES),
    // Senior individual contributors.
    ("課長代理", Sig::Senior, None), ("課長補佐", Sig::Senior, None),
    ("係長", Sig::Senior, None), ("主任", Sig::Senior, None), ("主査", Sig::Senior, None),
    ("リーダー", Sig::Senior, None), ("チーフ", Sig::Senior, None),
    ("シニア", Sig::Senior, None),
    // Interns, students, assistants, staff.
    ("インターン", Sig::Intern, None), ("研修生", Sig::Intern, None),
    ("実習生", Sig::Intern, None),
    ("学生", Sig::Student, None), ("大学生", Sig::Student, None),
    ("大学院生", Sig::Student, None), ("院生", Sig::Student, None),
    ("秘書", Sig::AssistantOverride, None), ("アシスタント", Sig::AssistantOverride, None),
    ("担当", Sig::Ic, None), ("社員", Sig::Ic, None), ("スタッフ", Sig::Ic, None),
    ("職員", Sig::Ic, None), ("一般", Sig::Ic, None), ("事務", Sig::Ic, None),
    ("エンジニア", Sig::Ic, ENG), ("プログラマー", Sig::Ic, ENG),
    ("デザイナー", Sig::Ic, OTHER), ("コンサルタント", Sig::Ic, None),
    ("アナリスト", Sig::Ic, None),
    // Departments (部署).
    ("営業", Sig::None, SALES), ("販売", Sig::None, SALES), ("セールス", Sig::None, SALES),
    ("事業開発", Sig::None, SALES), ("アライアンス", Sig::None, SALES),
    ("マーケティング", Sig::None, MKT), ("マーケ", Sig::None, MKT),
    ("広報", Sig::None, MKT), ("宣伝", Sig::None, MKT), ("広告", Sig::None, MKT),
    ("開発", Sig::None, ENG), ("技術", Sig::None, ENG), ("研究開発", Sig::None, ENG),
    ("エンジニアリング", Sig::None, ENG), ("設計", Sig::None, ENG),
    ("情報システム", Sig::None, IT), ("情シス", Sig::None, IT), ("インフラ", Sig::None, IT),
    ("経理", Sig::None, FIN), ("財務", Sig::None, FIN), ("会計", Sig::None, FIN),
    ("人事", Sig::None, HR), ("採用", Sig::None, HR), ("労務", Sig::None, HR),
    ("法務", Sig::None, LEGAL), ("知財", Sig::None, LEGAL), ("知的財産", Sig::None, LEGAL),
    ("コンプライアンス", Sig::None, LEGAL),
    ("カスタマーサポート", Sig::None, SUP), ("カスタマーサクセス", Sig::None, SUP),
    ("サポート", Sig::None, SUP), ("お客様相談", Sig::None, SUP),
    ("プロダクト", Sig::None, PROD), ("製品", Sig::None, PROD),
    ("商品企画", Sig::None, PROD),
    ("総務", Sig::None, OPS), ("生産", Sig::None, OPS), ("製造", Sig::None, OPS),
    ("物流", Sig::None, OPS), ("購買", Sig::None, OPS), ("調達", Sig::None, OPS),
    ("品質", Sig::None, OPS),
    ("研究", Sig::None, OTHER), ("デザイン", Sig::None, OTHER),
];

/// Entries by their first character, longest first.
static BY_FIRST_CHAR: LazyLock<HashMap<char, Vec<Entry>>> = LazyLock::new(|| {
    let mut map: HashMap<char, Vec<Entry>> = HashMap::new();
    for entry in TABLE {
        if let Some(c) = entry.0.chars().next() {
            map.entry(c).or_default().push(*entry);
        }
    }
    for list in map.values_mut() {
        list.sort_by_key(|e| std::cmp::Reverse(e.0.len()));
    }
    map
});

/// Applies the Japanese keywords of a folded title to `sig`. Matches do not
/// overlap: after 本部長 the scan goes on after it, so 部長 is not seen again.
///
/// Japanese puts the head noun last: 社長秘書 (the president's secretary) is an
/// assistant, 秘書室長 (head of the secretariat) is a manager. So an assistant
/// word counts only when no rank follows it.
pub(super) fn scan(folded: &str, sig: &mut Signals) {
    let mut assistant = false;
    let mut pos = 0;
    while let Some(c) = folded[pos..].chars().next() {
        let rest = &folded[pos..];
        let hit = BY_FIRST_CHAR
            .get(&c)
            .and_then(|list| list.iter().find(|e| rest.starts_with(e.0)));
        let Some(&(word, s, dept)) = hit else {
            pos += c.len_utf8();
            continue;
        };
        if let Some(d) = dept {
            sig.department(d, pos);
        }
        match s {
            Sig::Rank(rank) => {
                sig.rank(rank);
                assistant = false;
            }
            Sig::Intern => sig.intern = true,
            Sig::Student => sig.student = true,
            Sig::Senior => sig.senior = true,
            Sig::Ic => sig.ic = true,
            Sig::AssistantOverride => assistant = true,
            Sig::None | Sig::Assistant | Sig::Associate | Sig::Chief | Sig::Partner => {}
        }
        pos += word.len();
    }
    sig.assistant |= assistant;
}
