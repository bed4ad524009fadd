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
        return migrator
    }
}
