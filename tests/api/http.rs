//! The HTTP surface besides `/graphql` queries: health, the playground, the redirect.

use crate::common::TestApp;

#[tokio::test]
async fn healthz_answers_ok_when_the_database_answers() {
    let app = TestApp::new().await;
    let (status, body) = app.get("/healthz").await;
    assert_eq!(status, 200);
    assert!(body.contains("ok"), "{body}");
}

#[tokio::test]
async fn the_root_redirects_to_the_playground() {
    let app = TestApp::new().await;
    let (status, _) = app.get("/").await;
    assert_eq!(status, 307);
}

#[tokio::test]
async fn the_playground_and_its_assets_are_served_by_the_binary() {
    let app = TestApp::new().await;
    let (status, page) = app.get("/graphql").await;
    assert_eq!(status, 200);
    assert!(page.contains("GraphiQL"), "{page}");
    let mut assets = 0;
    for part in page.split('"').filter(|p| p.starts_with("/playground/")) {
        let (status, _) = app.get(part).await;
        assert_eq!(status, 200, "{part}");
        assets += 1;
    }
    assert!(assets >= 2, "the page references its vendored assets");
}
