import GRDB

/// Frozen schema history. Never edit a shipped migration: add a new one.
enum Migrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-knowledge-and-index") { db in
            try db.execute(
                sql: """
                    CREATE TABLE collections (
                        id INTEGER PRIMARY KEY,
                        name TEXT NOT NULL UNIQUE,
                        created_at TEXT NOT NULL
                    );
                    CREATE TABLE documents (
                        id INTEGER PRIMARY KEY,
                        collection_id INTEGER NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
                        source TEXT NOT NULL,
                        title TEXT NOT NULL,
                        content_hash TEXT NOT NULL,
                        media_type TEXT NOT NULL,
                        byte_size INTEGER NOT NULL,
                        created_at TEXT NOT NULL,
                        updated_at TEXT NOT NULL,
                        UNIQUE (collection_id, source)
                    );
                    CREATE TABLE chunks (
                        id INTEGER PRIMARY KEY,
                        document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
                        ordinal INTEGER NOT NULL,
                        text TEXT NOT NULL,
                        heading_path TEXT NOT NULL,
                        locator TEXT NOT NULL,
                        segment_id INTEGER,
                        segment_ordinal INTEGER
                    );
                    CREATE INDEX chunks_document ON chunks(document_id, ordinal);
                    CREATE INDEX chunks_segment ON chunks(segment_id, segment_ordinal);
                    -- The search index: an immutable-segment inverted index (see ARCHITECTURE.md).
                    CREATE TABLE search_terms (
                        id INTEGER PRIMARY KEY,
                        term TEXT NOT NULL UNIQUE
                    );
                    CREATE TABLE search_segments (
                        id INTEGER PRIMARY KEY,
                        doc_count INTEGER NOT NULL,
                        word_tokens INTEGER NOT NULL,
                        gram_tokens INTEGER NOT NULL,
                        doc_table BLOB NOT NULL
                    );
                    CREATE TABLE search_postings (
                        segment_id INTEGER NOT NULL REFERENCES search_segments(id) ON DELETE CASCADE,
                        term_id INTEGER NOT NULL,
                        df INTEGER NOT NULL,
                        postings BLOB NOT NULL,
                        PRIMARY KEY (segment_id, term_id)
                    ) WITHOUT ROWID;
                    CREATE TABLE search_deletes (
                        segment_id INTEGER NOT NULL REFERENCES search_segments(id) ON DELETE CASCADE,
                        ordinal INTEGER NOT NULL,
                        PRIMARY KEY (segment_id, ordinal)
                    ) WITHOUT ROWID;
                    CREATE TABLE search_state (
                        id INTEGER PRIMARY KEY CHECK (id = 1),
                        generation INTEGER NOT NULL
                    );
                    INSERT INTO search_state (id, generation) VALUES (1, 0);
                    """)
        }
        migrator.registerMigration("v2-postings-by-rowid") { db in
            // WITHOUT ROWID stored each postings blob inside the primary-key b-tree, so every key comparison
            // during a lookup that met an overflowing cell copied that cell's whole blob (SQLite reads the
            // full payload to compare an index key). A rowid table with a separate unique index compares
            // only the small key and reads the blob once. Measured at 1M chunks: ~10 % of query time.
            try db.execute(
                sql: """
                    CREATE TABLE search_postings_v2 (
                        id INTEGER PRIMARY KEY,
                        segment_id INTEGER NOT NULL REFERENCES search_segments(id) ON DELETE CASCADE,
                        term_id INTEGER NOT NULL,
                        df INTEGER NOT NULL,
                        postings BLOB NOT NULL
                    );
                    INSERT INTO search_postings_v2 (segment_id, term_id, df, postings)
                        SELECT segment_id, term_id, df, postings FROM search_postings ORDER BY segment_id, term_id;
                    DROP TABLE search_postings;
                    ALTER TABLE search_postings_v2 RENAME TO search_postings;
                    CREATE UNIQUE INDEX search_postings_key ON search_postings(segment_id, term_id);
                    """)
        }
        migrator.registerMigration("v3-positions-from-doc-tables") { db in
            // Deletions now find a chunk's segment position in the segments' doc tables; chunks no longer
            // carry one (keeping it current meant rewriting every merged chunk's row). The columns stay for
            // older files (SQLite cannot drop them cheaply) but are no longer read or written.
            try db.execute(sql: "DROP INDEX IF EXISTS chunks_segment")
        }
        migrator.registerMigration("v4-tenancy-accounts-audit") { db in
            try db.execute(
                sql: """
                    CREATE TABLE organizations (
                        id INTEGER PRIMARY KEY,
                        name TEXT NOT NULL UNIQUE,
                        created_at TEXT NOT NULL
                    );
                    CREATE TABLE bureaus (
                        id INTEGER PRIMARY KEY,
                        organization_id INTEGER NOT NULL REFERENCES organizations(id),
                        name TEXT NOT NULL,
                        UNIQUE (organization_id, name)
                    );
                    CREATE TABLE sections (
                        id INTEGER PRIMARY KEY,
                        bureau_id INTEGER NOT NULL REFERENCES bureaus(id),
                        name TEXT NOT NULL,
                        UNIQUE (bureau_id, name)
                    );
                    CREATE TABLE users (
                        id INTEGER PRIMARY KEY,
                        login TEXT NOT NULL UNIQUE COLLATE NOCASE,
                        display_name TEXT NOT NULL,
                        section_id INTEGER NOT NULL REFERENCES sections(id),
                        roles TEXT NOT NULL,
                        password_hash TEXT,
                        disabled INTEGER NOT NULL DEFAULT 0,
                        failed_logins INTEGER NOT NULL DEFAULT 0,
                        locked_until TEXT,
                        oidc_subject TEXT UNIQUE,
                        created_at TEXT NOT NULL,
                        updated_at TEXT NOT NULL
                    );
                    CREATE TABLE sessions (
                        token_hash TEXT PRIMARY KEY,
                        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                        csrf_token TEXT NOT NULL,
                        created_at TEXT NOT NULL,
                        expires_at TEXT NOT NULL,
                        address TEXT
                    );
                    CREATE INDEX sessions_user ON sessions(user_id);
                    CREATE TABLE api_tokens (
                        id INTEGER PRIMARY KEY,
                        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                        name TEXT NOT NULL,
                        token_hash TEXT NOT NULL UNIQUE,
                        created_at TEXT NOT NULL,
                        expires_at TEXT,
                        last_used_at TEXT,
                        revoked INTEGER NOT NULL DEFAULT 0
                    );
                    ALTER TABLE collections ADD COLUMN owner_section_id INTEGER REFERENCES sections(id);
                    ALTER TABLE collections ADD COLUMN visibility TEXT NOT NULL DEFAULT 'section'
                        CHECK (visibility IN ('section', 'bureau', 'organization', 'all', 'public'));
                    CREATE TABLE collection_grants (
                        collection_id INTEGER NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
                        grantee_kind TEXT NOT NULL CHECK (grantee_kind IN ('organization', 'bureau', 'section', 'user')),
                        grantee_id INTEGER NOT NULL,
                        granted_by INTEGER,
                        created_at TEXT NOT NULL,
                        PRIMARY KEY (collection_id, grantee_kind, grantee_id)
                    );
                    CREATE TABLE audit_log (
                        seq INTEGER PRIMARY KEY,
                        at TEXT NOT NULL,
                        actor_id INTEGER,
                        actor TEXT NOT NULL,
                        action TEXT NOT NULL,
                        target TEXT NOT NULL,
                        collection TEXT,
                        documents TEXT,
                        detail TEXT,
                        address TEXT,
                        prev_hash TEXT NOT NULL,
                        hash TEXT NOT NULL
                    );
                    CREATE INDEX audit_log_at ON audit_log(at);
                    -- The newest entry's hash, kept apart from the log so that removing its last rows shows.
                    CREATE TABLE audit_head (
                        id INTEGER PRIMARY KEY CHECK (id = 1),
                        seq INTEGER NOT NULL,
                        hash TEXT NOT NULL
                    );
                    -- Where the chain starts: entry 1 and the all-zero hash, until retention removes old entries.
                    CREATE TABLE audit_anchor (
                        id INTEGER PRIMARY KEY CHECK (id = 1),
                        seq INTEGER NOT NULL,
                        prev_hash TEXT NOT NULL
                    );
                    """)
        }
        migrator.registerMigration("v5-document-visibility") { db in
            // NULL: the document is read like its collection. Otherwise it narrows the collection's reach to
            // the owner section, bureau or organisation (grants on the collection do not widen it).
            try db.execute(sql: "ALTER TABLE documents ADD COLUMN visibility TEXT")
            try db.execute(sql: "CREATE INDEX documents_narrowed ON documents(visibility) WHERE visibility IS NOT NULL")
        }
        migrator.registerMigration("v6-model-calls-and-feedback") { db in
            try db.execute(
                sql: """
                    -- One row per model call (whatever its outcome), for quotas, usage reports and cost.
                    CREATE TABLE model_calls (
                        id INTEGER PRIMARY KEY,
                        at TEXT NOT NULL,
                        day TEXT NOT NULL,
                        month TEXT NOT NULL,
                        user_id INTEGER,
                        login TEXT NOT NULL,
                        organization TEXT,
                        bureau TEXT,
                        app TEXT NOT NULL,
                        model TEXT NOT NULL,
                        provider TEXT NOT NULL,
                        prompt_tokens INTEGER NOT NULL,
                        completion_tokens INTEGER NOT NULL,
                        usage_reported INTEGER NOT NULL,
                        milliseconds REAL NOT NULL,
                        cost REAL NOT NULL,
                        status TEXT NOT NULL,
                        error TEXT,
                        sources TEXT,
                        personal_data TEXT,
                        personal_data_action TEXT,
                        prompt TEXT,
                        output TEXT
                    );
                    CREATE INDEX model_calls_bureau ON model_calls(organization, bureau, month, day);
                    CREATE INDEX model_calls_user ON model_calls(login, month, day);
                    CREATE INDEX model_calls_at ON model_calls(at);
                    -- 👍/👎 on answers, for the bureau administrator to review.
                    CREATE TABLE answer_feedback (
                        id INTEGER PRIMARY KEY,
                        at TEXT NOT NULL,
                        user_id INTEGER,
                        login TEXT NOT NULL,
                        organization TEXT,
                        bureau TEXT,
                        question TEXT NOT NULL,
                        answer TEXT NOT NULL,
                        mode TEXT NOT NULL,
                        model TEXT,
                        sources TEXT NOT NULL,
                        rating INTEGER NOT NULL CHECK (rating IN (-1, 1)),
                        reason TEXT
                    );
                    CREATE INDEX answer_feedback_bureau ON answer_feedback(organization, bureau, at);
                    """)
        }
        migrator.registerMigration("v7-chunk-vectors") { db in
            try db.execute(
                sql: """
                    -- Embedding of each chunk for hybrid retrieval: unit length, int8 (× 127), one model at a time
                    -- per chunk (re-embedding for a new model replaces the row).
                    CREATE TABLE chunk_vectors (
                        chunk_id INTEGER PRIMARY KEY REFERENCES chunks(id) ON DELETE CASCADE,
                        model TEXT NOT NULL,
                        dim INTEGER NOT NULL,
                        vector BLOB NOT NULL
                    );
                    CREATE INDEX chunk_vectors_model ON chunk_vectors(model);
                    """)
        }
        migrator.registerMigration("v8-listening-projects") { db in
            try db.execute(
                sql: """
                    -- A broad-listening project: one uploaded comment file, its analysis settings and run state.
                    -- Outputs live on disk (the listening folder, one subfolder per id). A draft is read by the
                    -- owner section only; once published, by the chosen visibility.
                    CREATE TABLE listening_projects (
                        id INTEGER PRIMARY KEY,
                        title TEXT NOT NULL,
                        owner_section_id INTEGER NOT NULL REFERENCES sections(id),
                        created_by INTEGER REFERENCES users(id),
                        created_by_login TEXT NOT NULL,
                        file_name TEXT NOT NULL,
                        input_sha256 TEXT NOT NULL,
                        input_bytes INTEGER NOT NULL,
                        settings TEXT NOT NULL DEFAULT '{}',
                        status TEXT NOT NULL CHECK (status IN ('uploaded', 'queued', 'running', 'done', 'failed')),
                        stage TEXT,
                        progress_done INTEGER NOT NULL DEFAULT 0,
                        progress_total INTEGER NOT NULL DEFAULT 0,
                        error TEXT,
                        summary TEXT,
                        visibility TEXT NOT NULL DEFAULT 'section',
                        published_at TEXT,
                        created_at TEXT NOT NULL,
                        updated_at TEXT NOT NULL,
                        started_at TEXT,
                        finished_at TEXT
                    );
                    CREATE INDEX listening_projects_owner ON listening_projects(owner_section_id);
                    CREATE INDEX listening_projects_status ON listening_projects(status);
                    -- Staff edits of a cluster's label or summary, kept in full (the latest applies).
                    CREATE TABLE listening_edits (
                        id INTEGER PRIMARY KEY,
                        project_id INTEGER NOT NULL REFERENCES listening_projects(id) ON DELETE CASCADE,
                        cluster_id TEXT NOT NULL,
                        -- The analysis' own label of the cluster when it was edited: after a re-run with other
                        -- settings an edit applies only where the same cluster came out again.
                        base_label TEXT NOT NULL,
                        label TEXT NOT NULL,
                        summary TEXT NOT NULL,
                        previous_label TEXT NOT NULL,
                        previous_summary TEXT NOT NULL,
                        user_id INTEGER,
                        login TEXT NOT NULL,
                        at TEXT NOT NULL
                    );
                    CREATE INDEX listening_edits_project ON listening_edits(project_id, cluster_id, id);
                    """)
        }
        return migrator
    }
}
