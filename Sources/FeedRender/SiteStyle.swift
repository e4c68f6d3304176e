/// `style.css`, the site's one stylesheet: the system's CJK fonts (no web
/// font), a measure of about 36 CJK characters with line height 1.8, one
/// column on a phone and a grid of sections on a desktop, dark colours from
/// `prefers-color-scheme`. No `url()`, no `@import`: nothing is loaded.
public enum SiteStyle {
    public static let css: StaticString = """
        :root {
          --fg: #1f2328; --muted: #656d76; --bg: #fdfdfc; --card: #ffffff; --line: #e4e6e8; --link: #0b57b0;
          --accent: #b3261e;
          color-scheme: light dark;
        }
        @media (prefers-color-scheme: dark) {
          :root { --fg: #e6e6e3; --muted: #9da3aa; --bg: #141517; --card: #1c1d20; --line: #2e3035; --link: #8ab4f8;
                  --accent: #f28b82; }
        }
        * { box-sizing: border-box; }
        html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
        body {
          margin: 0; background: var(--bg); color: var(--fg);
          font-family: system-ui, -apple-system, "PingFang SC", "Hiragino Sans GB", "Noto Sans CJK SC",
            "Source Han Sans SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif;
          font-size: 17px; line-height: 1.8; word-wrap: break-word; overflow-wrap: anywhere;
        }
        a { color: var(--link); text-decoration: none; }
        a:hover, a:focus { text-decoration: underline; }
        header.site, main, footer.site { max-width: 72rem; margin: 0 auto; padding: 0 1rem; }
        header.site { padding-top: 1rem; padding-bottom: .6rem; border-bottom: 3px solid var(--accent); }
        header.site .home { color: var(--fg); font-size: 1.4rem; font-weight: 700; letter-spacing: .05em; }
        footer.site { padding-top: 2rem; padding-bottom: 2rem; color: var(--muted); font-size: .9rem; }
        h1 { font-size: 1.6rem; line-height: 1.4; margin: 1.2rem 0 .4rem; }
        h2 { font-size: 1.1rem; line-height: 1.5; margin: 0; }
        .meta { color: var(--muted); font-size: .85rem; }
        .meta .outlet::before { content: " · "; }
        .feeds { font-size: .85rem; margin: .4rem 0; }
        .feeds a { margin-right: .8em; }
        .empty { color: var(--muted); }
        .sections { display: grid; grid-template-columns: repeat(auto-fill, minmax(20rem, 1fr)); gap: 1rem; margin-top: 1rem; }
        section.category { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: .8rem 1rem; }
        section.category h2 { border-bottom: 1px solid var(--line); padding-bottom: .3rem; margin-bottom: .3rem; }
        section.category h2 a { color: var(--fg); }
        .count { color: var(--muted); font-size: .8rem; font-weight: 400; margin-left: .5em; }
        .count::after { content: " 条"; }
        ol.headlines { list-style: none; margin: 0; padding: 0; }
        ol.headlines li { padding: .35rem 0; border-bottom: 1px dashed var(--line); line-height: 1.6; }
        ol.headlines li:last-child { border-bottom: 0; }
        ol.headlines li > a { display: block; }
        ol.items { list-style: none; margin: 0 auto; padding: 0; max-width: 40rem; }
        main > h1, main > .feeds, main > .empty { max-width: 40rem; margin-left: auto; margin-right: auto; }
        li.item { padding: .9rem 0; border-bottom: 1px solid var(--line); }
        li.item .meta, li.item .summary { margin: .2rem 0 0; }
        li.item .summary { color: var(--fg); opacity: .85; font-size: .95rem; }
        article { max-width: 38rem; margin: 0 auto; }
        article .body { font-size: 1.06rem; line-height: 1.9; text-align: justify; }
        article .body p { margin: 0 0 1em; }
        article .body img, article .body video { max-width: 100%; height: auto; }
        article .body table { display: block; max-width: 100%; overflow-x: auto; border-collapse: collapse; }
        article .body td, article .body th { border: 1px solid var(--line); padding: .2em .5em; }
        article .body blockquote { margin: 1em 0; padding: 0 1em; border-left: 3px solid var(--line); color: var(--muted); }
        article .body pre { overflow-x: auto; }
        .original { margin: 1.5rem 0 .5rem; }
        nav.categories { border-top: 1px solid var(--line); padding-top: .6rem; font-size: .9rem; }
        nav.categories a { display: inline-block; margin-right: .8em; }
        @media (max-width: 40rem) {
          body { font-size: 16px; }
          .sections { grid-template-columns: 1fr; }
          h1 { font-size: 1.35rem; }
        }

        """
}

extension SiteStyle {
    /// The stylesheet's bytes, as written to `style.css`.
    public static var bytes: [UInt8] { css.withUTF8Buffer { Array($0) } }
}
