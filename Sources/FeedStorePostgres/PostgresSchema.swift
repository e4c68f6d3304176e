import FeedStore

/// The same versioned migrations as the SQLite store's (`FeedStore/Schema.swift`),
/// under the same identifiers and with the same table and column names, in
/// PostgreSQL's dialect. Keys sort bytewise (`COLLATE "C"`, as SQLite's
/// BINARY), so feeds come out in the same order whatever the server's locale. Times are seconds since 1970 as `DOUBLE PRECISION`,
/// like SQLite's `REAL`, so both backends hold the same values. Applied ones
/// are recorded in `feedd_migrations`. Never edit a registered migration: add
/// a new one (to both dialects, under one identifier).
enum PostgresSchema {
    static let migrations: [(id: String, sql: [String])] = [
        ("v1: items, categories, validators, poll results", [
            """
            CREATE TABLE item (
                infoCode TEXT COLLATE "C" PRIMARY KEY NOT NULL,
                title TEXT NOT NULL,
                summary TEXT NOT NULL,
                body TEXT NOT NULL,
                rawBody TEXT NOT NULL,
                normalizerVersion INTEGER NOT NULL,
                link TEXT,
                outlet TEXT,
                published DOUBLE PRECISION NOT NULL,
                updated DOUBLE PRECISION NOT NULL,
                firstSeen DOUBLE PRECISION NOT NULL
            )
            """,
            "CREATE INDEX item_published ON item(published DESC)",
            """
            CREATE TABLE itemCategory (
                infoCode TEXT COLLATE "C" NOT NULL REFERENCES item(infoCode) ON DELETE CASCADE,
                slug TEXT COLLATE "C" NOT NULL,
                name TEXT NOT NULL,
                PRIMARY KEY (infoCode, slug)
            )
            """,
            "CREATE INDEX itemCategory_slug ON itemCategory(slug)",
            """
            CREATE TABLE httpValidator (
                url TEXT PRIMARY KEY NOT NULL,
                etag TEXT,
                lastModified TEXT,
                storedAt DOUBLE PRECISION NOT NULL
            )
            """,
            """
            CREATE TABLE sourceState (
                name TEXT COLLATE "C" PRIMARY KEY NOT NULL,
                lastPoll DOUBLE PRECISION,
                lastSuccess DOUBLE PRECISION,
                lastResult TEXT,
                message TEXT,
                consecutiveFailures INTEGER NOT NULL DEFAULT 0,
                nextPoll DOUBLE PRECISION,
                itemsListed INTEGER NOT NULL DEFAULT 0,
                itemsNew INTEGER NOT NULL DEFAULT 0,
                itemsUpdated INTEGER NOT NULL DEFAULT 0
            )
            """,
        ]),
        ("v2: which sources feed which categories (for RSS ttl)", [
            #"CREATE TABLE sourceCategory (source TEXT COLLATE "C" NOT NULL, slug TEXT COLLATE "C" NOT NULL, PRIMARY KEY (source, slug))"#,
        ]),
        ("v3: category slugs by name", [
            "CREATE INDEX itemCategory_name ON itemCategory(name)",
        ]),
        ("v4: render state (skip a startup render when nothing changed)", [
            """
            CREATE TABLE renderState (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                contentVersion BIGINT NOT NULL,
                renderedVersion BIGINT,
                renderedFingerprint TEXT
            )
            """,
            "INSERT INTO renderState (id, contentVersion) VALUES (1, 0)",
        ]),
        ("v5: which sources listed each item (source rules, the rules' `source` field)", [
            """
            CREATE TABLE itemSource (
                infoCode TEXT COLLATE "C" NOT NULL REFERENCES item(infoCode) ON DELETE CASCADE,
                source TEXT COLLATE "C" NOT NULL,
                PRIMARY KEY (infoCode, source)
            )
            """,
            "DELETE FROM httpValidator",
        ]),
        ("v6: stories (one story, many outlets)", [
            """
            CREATE TABLE itemStory (
                infoCode TEXT COLLATE "C" PRIMARY KEY NOT NULL REFERENCES item(infoCode) ON DELETE CASCADE,
                story TEXT COLLATE "C" NOT NULL,
                simFull BIGINT NOT NULL,
                simHead BIGINT NOT NULL,
                length INTEGER NOT NULL,
                numbers TEXT NOT NULL,
                published DOUBLE PRECISION NOT NULL,
                joined DOUBLE PRECISION NOT NULL
            )
            """,
            "CREATE INDEX itemStory_story ON itemStory(story)",
            """
            CREATE TABLE storyBand (
                key BIGINT NOT NULL,
                infoCode TEXT COLLATE "C" NOT NULL REFERENCES item(infoCode) ON DELETE CASCADE,
                PRIMARY KEY (key, infoCode)
            )
            """,
        ]),
        (ClusterSchema.v7, ClusterSchema.postgres),
        (StorySchema.v8, [
            // A sequence number is taken while holding the stories' advisory lock
            // (`PostgresStore+Stories.swift`), so numbers are committed in order.
            #"CREATE TABLE itemStoryLog (seq BIGSERIAL PRIMARY KEY, infoCode TEXT COLLATE "C" NOT NULL)"#,
            "INSERT INTO itemStoryLog (infoCode) SELECT infoCode FROM itemStory ORDER BY published, infoCode",
            """
            CREATE FUNCTION itemStory_log() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO itemStoryLog (infoCode) VALUES (NEW.infoCode);
                RETURN NULL;
            END
            $$
            """,
            "CREATE TRIGGER itemStory_logged AFTER INSERT ON itemStory FOR EACH ROW EXECUTE FUNCTION itemStory_log()",
            "CREATE INDEX itemStory_published ON itemStory(published)",
            "DROP TABLE storyBand",
        ]),
        (StorySchema.v9, [
            // Numbered as assigned (the sequence is read while holding the stories' advisory lock):
            // one row per assignment, no trigger; catching up reads `itemStory` by this key alone.
            "DROP TRIGGER itemStory_logged ON itemStory",
            "DROP FUNCTION itemStory_log()",
            "DROP TABLE itemStoryLog",
            "ALTER TABLE itemStory ADD COLUMN seq BIGSERIAL",
            "CREATE UNIQUE INDEX itemStory_seq ON itemStory(seq)",
        ]),
    ]
}
