//! The lookup key lives outside the database it protects: a database that
//! held its key (from before key files) has it moved out into a new file,
//! mode 0600, and the rows still answer; a new database never holds it.

use yanzheng_registry::{Database, OpenOptions};

fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(f)
}

#[test]
fn the_key_moves_out_of_the_database_and_stays_out() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("registry.db");
    let db = db.to_str().expect("utf-8");
    let key_file = dir.path().join("registry.db.lookup-key");
    block_on(async {
        // As databases were made before: the key in the settings table.
        let old = Database::open(db, OpenOptions::default())
            .await
            .expect("open");
        let number_key = old.lookup_key().number_key("11010519491231002X");
        assert!(old.stores_lookup_key().await.expect("settings"));
        old.close().await;

        // Opened with a key file that does not exist yet: the same key is
        // written there, and removed from the database.
        let opts = || OpenOptions {
            lookup_key_file: Some(key_file.clone()),
            ..OpenOptions::default()
        };
        let moved = Database::open(db, opts()).await.expect("open");
        assert_eq!(
            moved.lookup_key().number_key("11010519491231002X"),
            number_key
        );
        assert!(!moved.stores_lookup_key().await.expect("settings"));
        moved.close().await;
        let text = std::fs::read_to_string(&key_file).expect("key file");
        assert_eq!(text.trim().len(), 64);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&key_file)
                .expect("meta")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }

        // Without the file the database no longer opens on a key of its own.
        let err = Database::open(db, OpenOptions::default()).await.err();
        assert!(
            err.is_some_and(|e| e.to_string().contains("--lookup-key-file")),
            "a database whose key moved out needs the file"
        );
        // A new database with a key file never holds the key.
        let fresh = dir.path().join("fresh.db");
        let fresh = Database::open(
            fresh.to_str().expect("utf-8"),
            OpenOptions {
                lookup_key_file: Some(dir.path().join("fresh.key")),
                ..OpenOptions::default()
            },
        )
        .await
        .expect("open");
        assert!(!fresh.stores_lookup_key().await.expect("settings"));
        fresh.close().await;
    });
}
