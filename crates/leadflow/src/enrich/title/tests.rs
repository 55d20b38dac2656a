//! One row per title rule: (title, seniority, department).

use super::*;

fn check(rows: &[(&str, &str, &str)]) {
    let mut failures = Vec::new();
    for &(title, seniority, department) in rows {
        let got = parse_title(title);
        if got.seniority.as_str() != seniority || got.department.as_str() != department {
            failures.push(format!(
                "{title:?}: want {seniority}/{department}, got {}/{}",
                got.seniority, got.department
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn c_level_and_owners() {
    check(&[
        ("CEO", "c_level", "executive"),
        ("Chief Executive Officer", "c_level", "executive"),
        ("Chief Marketing Officer", "c_level", "marketing"),
        ("Chief Revenue Officer", "c_level", "sales"),
        ("CTO", "c_level", "engineering"),
        ("CFO", "c_level", "finance"),
        ("COO", "c_level", "operations"),
        ("CMO", "c_level", "marketing"),
        ("CIO", "c_level", "it"),
        ("Co-Founder & CEO", "c_level", "executive"),
        ("Founder & CTO", "c_level", "engineering"),
        ("President", "c_level", "executive"),
        ("President and CEO", "c_level", "executive"),
        ("Managing Director", "c_level", "executive"),
        ("Chairman of the Board", "c_level", "executive"),
        ("Founder", "owner", "executive"),
        ("Co-founder", "owner", "executive"),
        ("Owner", "owner", "executive"),
        ("Managing Partner", "owner", "executive"),
        ("Partner, Consulting", "owner", "unknown"),
        ("ＣＥＯ", "c_level", "executive"),
    ]);
}

#[test]
fn vice_presidents() {
    check(&[
        ("VP of Sales", "vp", "sales"),
        ("VP Sales & Marketing", "vp", "sales"),
        ("Vice President, Engineering", "vp", "engineering"),
        ("Vice-President Marketing", "vp", "marketing"),
        ("SVP Finance", "vp", "finance"),
        ("EVP, Human Resources", "vp", "hr"),
        ("Senior Vice President of Product", "vp", "product"),
        ("General Counsel", "vp", "legal"),
        ("Assistant Vice President", "director", "unknown"),
        ("AVP, Operations", "director", "operations"),
        ("vp of it", "vp", "it"),
    ]);
}

#[test]
fn heads_directors_managers() {
    check(&[
        ("Head of Growth Marketing", "head", "marketing"),
        ("Head of IT", "head", "it"),
        ("Department Head, Finance", "head", "finance"),
        ("Sales Director", "director", "sales"),
        ("Director of Engineering", "director", "engineering"),
        (
            "Senior Director, Product Marketing",
            "director",
            "marketing",
        ),
        (
            "Associate Director of Customer Success",
            "manager",
            "support",
        ),
        ("General Manager", "director", "unknown"),
        ("Chief of Staff to the CEO", "director", "executive"),
        ("Marketing Manager", "manager", "marketing"),
        ("Sr. Manager, Revenue Operations", "manager", "sales"),
        ("Engineering Manager", "manager", "engineering"),
        ("Assistant Manager", "manager", "unknown"),
        ("Team Lead, Customer Support", "manager", "support"),
        ("IT Supervisor", "manager", "it"),
        ("HR Manager", "manager", "hr"),
        ("Legal Operations Manager", "manager", "legal"),
    ]);
}

#[test]
fn role_titled_managers_are_individual_contributors() {
    check(&[
        ("Account Manager", "individual_contributor", "sales"),
        ("Product Manager", "individual_contributor", "product"),
        ("Senior Product Manager", "senior", "product"),
        ("Group Product Manager", "manager", "product"),
        ("Project Manager", "individual_contributor", "unknown"),
        (
            "Customer Success Manager",
            "individual_contributor",
            "support",
        ),
        ("Product Marketing Manager", "manager", "marketing"),
        ("Product Owner", "individual_contributor", "product"),
    ]);
}

#[test]
fn assistants_are_not_their_bosses() {
    check(&[
        ("Assistant to the VP", "individual_contributor", "unknown"),
        (
            "Executive Assistant to the CEO",
            "individual_contributor",
            "executive",
        ),
        ("EA to CFO", "individual_contributor", "finance"),
        ("CEO Assistant", "individual_contributor", "executive"),
        (
            "Administrative Assistant",
            "individual_contributor",
            "unknown",
        ),
        ("Assistant Professor", "individual_contributor", "other"),
        (
            "Program Manager, Office of the CEO",
            "individual_contributor",
            "executive",
        ),
        ("VP, Assistant Treasurer", "vp", "finance"),
    ]);
}

#[test]
fn senior_ics_ics_interns() {
    check(&[
        ("Senior Software Engineer", "senior", "engineering"),
        ("Lead Developer", "senior", "engineering"),
        ("Principal Engineer", "senior", "engineering"),
        ("Chief Architect", "senior", "engineering"),
        ("Software Engineer", "individual_contributor", "engineering"),
        ("Sales Engineer", "individual_contributor", "sales"),
        ("Support Engineer", "individual_contributor", "support"),
        ("Account Executive", "individual_contributor", "sales"),
        ("SDR", "individual_contributor", "sales"),
        (
            "Marketing Specialist",
            "individual_contributor",
            "marketing",
        ),
        ("Data Analyst", "individual_contributor", "engineering"),
        ("Recruiter", "individual_contributor", "hr"),
        ("Marketing Intern", "intern_student", "marketing"),
        ("Intern, Office of the CEO", "intern_student", "executive"),
        ("Summer Internship - Finance", "intern_student", "finance"),
        ("Student", "intern_student", "unknown"),
        ("PhD Student", "intern_student", "unknown"),
        ("Director of Student Affairs", "director", "unknown"),
    ]);
}

#[test]
fn unknown_and_blank() {
    check(&[
        ("", "unknown", "unknown"),
        ("   ", "unknown", "unknown"),
        ("n/a", "unknown", "unknown"),
        ("Marketing", "unknown", "marketing"),
        ("-", "unknown", "unknown"),
    ]);
}

#[test]
fn japanese_ranks() {
    check(&[
        ("代表取締役", "c_level", "executive"),
        ("代表取締役社長", "c_level", "executive"),
        ("代表取締役CEO", "c_level", "executive"),
        ("社長", "c_level", "executive"),
        ("会長", "c_level", "executive"),
        ("取締役", "vp", "executive"),
        ("執行役員", "vp", "executive"),
        ("専務取締役", "vp", "executive"),
        ("取締役副社長", "vp", "executive"),
        ("取締役 営業本部長", "vp", "sales"),
        ("執行役員 CTO", "c_level", "engineering"),
        ("マーケティング本部 本部長", "head", "marketing"),
        ("事業部長", "head", "unknown"),
        ("営業部 部長", "director", "sales"),
        ("営業部長", "director", "sales"),
        ("副部長", "director", "unknown"),
        ("次長", "manager", "unknown"),
        ("人事部 課長", "manager", "hr"),
        ("経理課 係長", "senior", "finance"),
        ("主任", "senior", "unknown"),
        ("開発部 主任エンジニア", "senior", "engineering"),
        ("創業者", "owner", "executive"),
        ("インターン", "intern_student", "unknown"),
        ("マーケティング インターン", "intern_student", "marketing"),
        ("学生", "intern_student", "unknown"),
        ("社長秘書", "individual_contributor", "executive"),
        ("秘書室長", "manager", "unknown"),
        ("社長室 室長", "manager", "executive"),
        ("営業担当", "individual_contributor", "sales"),
        ("情報システム部 部長", "director", "it"),
        ("情報システム部", "unknown", "it"),
        (
            "技術開発部 エンジニア",
            "individual_contributor",
            "engineering",
        ),
        ("財務部長", "director", "finance"),
        ("法務部", "unknown", "legal"),
        ("カスタマーサクセス マネージャー", "manager", "support"),
        (
            "プロダクトマネージャー",
            "individual_contributor",
            "product",
        ),
        ("ｴﾝｼﾞﾆｱ", "individual_contributor", "engineering"),
    ]);
}

#[test]
fn mixed_and_tricky() {
    check(&[
        ("Assistant Director of Marketing", "manager", "marketing"),
        ("Marketing Assistant", "individual_contributor", "marketing"),
        ("Partner at McKinsey", "owner", "unknown"),
        ("Partner Marketing Manager", "manager", "marketing"),
        ("Director of IT", "director", "it"),
        ("Board of Directors", "unknown", "unknown"),
        (
            "Software Engineering Intern",
            "intern_student",
            "engineering",
        ),
        ("Senior Account Executive", "senior", "sales"),
        ("Vice President of Sales Operations", "vp", "sales"),
        ("Owner/Operator", "owner", "executive"),
        ("Head of R&D", "head", "engineering"),
        ("FP&A Manager", "manager", "finance"),
        ("Sales and Marketing Director", "director", "sales"),
        ("Director Ventas / 営業部長", "director", "sales"),
    ]);
}

#[test]
fn never_panics_on_odd_input() {
    for t in [
        "\u{0}",
        "🙂 CEO",
        "vp vp vp",
        "of the",
        "to",
        "assistant",
        "chief",
        "ーー",
        "部",
    ] {
        let _ = parse_title(t);
    }
}
