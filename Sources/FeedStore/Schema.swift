import GRDB

/// Versioned migrations. Never edit a registered migration: add a new one.
enum Schema {
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1: items, categories, validators, poll results") { db in
            try db.execute(sql: """
                CREATE TABLE item (
                    infoCode TEXT PRIMARY KEY NOT NULL,
                    title TEXT NOT NULL,
                    summary TEXT NOT NULL,
                    body TEXT NOT NULL,
                    -- the body as upstream sent it, so a newer normalizer can redo 'body'
                    rawBody TEXT NOT NULL,
                    normalizerVersion INTEGER NOT NULL,
                    link TEXT,
                    outlet TEXT,
                    published REAL NOT NULL,
                    updated REAL NOT NULL,
                    firstSeen REAL NOT NULL
                );
                CREATE INDEX item_published ON item(published DESC);
                CREATE TABLE itemCategory (
                    infoCode TEXT NOT NULL REFERENCES item(infoCode) ON DELETE CASCADE,
                    slug TEXT NOT NULL,
                    name TEXT NOT NULL,
                    PRIMARY KEY (infoCode, slug)
                ) WITHOUT ROWID;
                CREATE INDEX itemCategory_slug ON itemCategory(slug);
                CREATE TABLE httpValidator (
                    url TEXT PRIMARY KEY NOT NULL,
                    etag TEXT,
                    lastModified TEXT,
                    storedAt REAL NOT NULL
                );
                CREATE TABLE sourceState (
                    name TEXT PRIMARY KEY NOT NULL,
                    lastPoll REAL,
                    lastSuccess REAL,
                    lastResult TEXT,
                    message TEXT,
                    consecutiveFailures INTEGER NOT NULL DEFAULT 0,
                    nextPoll REAL,
                    itemsListed INTEGER NOT NULL DEFAULT 0,
                    itemsNew INTEGER NOT NULL DEFAULT 0,
                    itemsUpdated INTEGER NOT NULL DEFAULT 0
                );
                """)
        }
        m.registerMigration("v2: which sources feed which categories (for RSS ttl)") { db in
            try db.execute(sql: """
                CREATE TABLE sourceCategory (
                    source TEXT NOT NULL,
                    slug TEXT NOT NULL,
                    PRIMARY KEY (source, slug)
                ) WITHOUT ROWID;
                """)
        }
        m.registerMigration("v3: category slugs by name") { db in
            try db.execute(sql: "CREATE INDEX itemCategory_name ON itemCategory(name)")
        }
        m.registerMigration("v4: render state (skip a startup render when nothing changed)") { db in
            try db.execute(sql: """
                CREATE TABLE renderState (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    contentVersion INTEGER NOT NULL,
                    renderedVersion INTEGER,
                    renderedFingerprint TEXT
                );
                INSERT INTO renderState (id, contentVersion) VALUES (1, 0);
                """)
        }
        m.registerMigration("v5: which sources listed each item (source rules, the rules' `source` field)") { db in
            try db.execute(sql: """
                CREATE TABLE itemSource (
                    infoCode TEXT NOT NULL REFERENCES item(infoCode) ON DELETE CASCADE,
                    source TEXT NOT NULL,
                    PRIMARY KEY (infoCode, source)
                ) WITHOUT ROWID;
                """)
            // Lists answered 304 are not read, so items stored before this table would
            // wait for their list to change before their sources are known. Forgetting
            // the validators costs one full GET per list (no body: the codes are known).
            try db.execute(sql: "DELETE FROM httpValidator")
        }
        m.registerMigration("v6: stories (one story, many outlets)") { db in
            // `story` is the info code of the story's representative: the item
            // shown in `all/`. `joined` moves the representative's `updated`.
            try db.execute(sql: """
                CREATE TABLE itemStory (
                    infoCode TEXT PRIMARY KEY NOT NULL REFERENCES item(infoCode) ON DELETE CASCADE,
                    story TEXT NOT NULL,
                    simFull INTEGER NOT NULL,
                    simHead INTEGER NOT NULL,
                    length INTEGER NOT NULL,
                    numbers TEXT NOT NULL,
                    published REAL NOT NULL,
                    joined REAL NOT NULL
                );
                CREATE INDEX itemStory_story ON itemStory(story);
                CREATE TABLE storyBand (
                    key INTEGER NOT NULL,
                    infoCode TEXT NOT NULL REFERENCES item(infoCode) ON DELETE CASCADE,
                    PRIMARY KEY (key, infoCode)
                ) WITHOUT ROWID;
                """)
        }
        m.registerMigration(ClusterSchema.v7) { db in
            // Cluster coordination (issue 12): leases, body claims, the config hash. Only the
            // PostgreSQL backend uses them; SQLite has the same tables so both stay one schema.
            for statement in ClusterSchema.sqlite { try db.execute(sql: statement) }
        }
        m.registerMigration(StorySchema.v8) { db in
            // Story candidates come from an index in memory (`StoryWindow`), not from
            // `storyBand`: each process catches its index up by this log, which a trigger
            // fills on every `itemStory` insert (AUTOINCREMENT: a number is never reused).
            try db.execute(sql: """
                CREATE TABLE itemStoryLog (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    infoCode TEXT NOT NULL
                );
                INSERT INTO itemStoryLog (infoCode) SELECT infoCode FROM itemStory ORDER BY rowid;
                CREATE TRIGGER itemStory_logged AFTER INSERT ON itemStory
                BEGIN
                    INSERT INTO itemStoryLog (infoCode) VALUES (NEW.infoCode);
                END;
                CREATE INDEX itemStory_published ON itemStory(published);
                DROP TABLE storyBand;
                """)
        }
        m.registerMigration(StorySchema.v9) { db in
            // The log's number becomes the row's own (`seq`, AUTOINCREMENT: never reused), so an
            // assignment writes one row and no trigger, and catching up reads one table by its key.
            try db.execute(sql: """
                CREATE TABLE itemStoryNumbered (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    infoCode TEXT NOT NULL UNIQUE REFERENCES item(infoCode) ON DELETE CASCADE,
                    story TEXT NOT NULL,
                    simFull INTEGER NOT NULL,
                    simHead INTEGER NOT NULL,
                    length INTEGER NOT NULL,
                    numbers TEXT NOT NULL,
                    published REAL NOT NULL,
                    joined REAL NOT NULL
                );
                INSERT INTO itemStoryNumbered (infoCode, story, simFull, simHead, length, numbers, published, joined)
                    SELECT infoCode, story, simFull, simHead, length, numbers, published, joined FROM itemStory ORDER BY rowid;
                DROP TRIGGER itemStory_logged;
                DROP TABLE itemStoryLog;
                DROP TABLE itemStory;
                ALTER TABLE itemStoryNumbered RENAME TO itemStory;
                CREATE INDEX itemStory_story ON itemStory(story);
                CREATE INDEX itemStory_published ON itemStory(published);
                """)
        }
        return m
    }
}

/// The identifiers of the stories' later migrations, which both dialects register.
public enum StorySchema {
    public static let v8 = "v8: stories found through the window index (itemStoryLog), storyBand dropped"
    public static let v9 = "v9: itemStory numbered in the order assigned (seq), itemStoryLog and its trigger dropped"
}
