import FeedChecks
import Testing
@testable import FeedNormalize

/// One behaviour of the normalizer: input body → expected HTML.
struct RuleCase: CustomTestStringConvertible, Sendable {
    let name: String
    let input: String
    let expected: String
    var articleURL: String? = RuleCase.article

    static let article = "https://finance.example.cn/news/2021/a.html"
    var testDescription: String { name }
}

/// Runs one case and the checks every output must pass.
func check(_ rule: RuleCase, sourceLocation: SourceLocation = #_sourceLocation) {
    let result = HTMLNormalizer.normalize(rule.input, articleURL: rule.articleURL)
    #expect(sameBytes(result.html, rule.expected), "got \(result.html.debugDescription)", sourceLocation: sourceLocation)
    #expect(OutputChecker.problems(in: result.html) == [], sourceLocation: sourceLocation)
    let again = HTMLNormalizer.normalize(result.html, articleURL: rule.articleURL)
    #expect(sameBytes(again.html, result.html), "not idempotent: \(again.html.debugDescription)", sourceLocation: sourceLocation)
}

@Suite("Allowlist: elements and attributes")
struct AllowlistTests {
    static let cases: [RuleCase] = [
        RuleCase(name: "script removed with its content", input: "<p>a<script>alert(1)</script>b</p>", expected: "<p>ab</p>"),
        RuleCase(name: "style removed with its content", input: "<p>x</p><style>p{color:red}</style><p>y</p>", expected: "<p>x</p>\n<p>y</p>"),
        RuleCase(name: "noscript removed", input: "<p>a<noscript><img src=\"https://t.cn/x.gif\">开启</noscript>b</p>", expected: "<p>ab</p>"),
        RuleCase(name: "template removed", input: "<p>a</p><template><p>t</p></template>", expected: "<p>a</p>"),
        RuleCase(name: "iframe removed", input: "<p>a</p><iframe src=\"https://v.cn/e/1\">x</iframe><p>b</p>", expected: "<p>a</p>\n<p>b</p>"),
        RuleCase(name: "object and embed removed", input: "<p>a<object data=\"x.swf\"><embed src=\"x.swf\"></object>b</p>", expected: "<p>ab</p>"),
        RuleCase(name: "form and controls removed",
                 input: "<p>前</p><form action=\"https://evil.example/\"><input name=q value=股票><button>搜索</button><select><option>1</option></select><textarea>t</textarea></form><p>后</p>",
                 expected: "<p>前</p>\n<p>后</p>"),
        RuleCase(name: "controls outside a form removed", input: "<p>a<input value=x><button>b</button>c</p>", expected: "<p>ac</p>"),
        RuleCase(name: "meta, link, base removed", input: "<p>a</p><meta http-equiv=refresh content=\"0;url=https://evil.example/\"><link rel=stylesheet href=x.css><base href=\"https://evil.example/\"><p>b</p>", expected: "<p>a</p>\n<p>b</p>"),
        RuleCase(name: "svg removed with content", input: "<p>a<svg onload=alert(1)><circle r=4/><text>t</text></svg>b</p>", expected: "<p>ab</p>"),
        RuleCase(name: "math removed with content", input: "<p>a<math><mi>x</mi></math>b</p>", expected: "<p>ab</p>"),
        RuleCase(name: "title removed", input: "<title>标题</title><p>正文</p>", expected: "<p>正文</p>"),
        RuleCase(name: "unknown element unwrapped", input: "<p><font color=red>红</font>字</p>", expected: "<p>红字</p>"),
        RuleCase(name: "custom element unwrapped", input: "<p><my-widget data-x=1>内容</my-widget></p>", expected: "<p>内容</p>"),
        RuleCase(name: "block-like unknown edges read as space", input: "<div><section>a</section><section>b</section></div>", expected: "<div>a b</div>"),
        RuleCase(name: "comments dropped", input: "<p>a<!-- editor: 张三 -->b</p>", expected: "<p>ab</p>"),
        RuleCase(name: "conditional comment dropped", input: "<p>a<!--[if IE]><script>alert(1)</script><![endif]-->b</p>", expected: "<p>ab</p>"),
        RuleCase(name: "processing instruction dropped", input: "<p>a<?php echo 1; ?>b</p>", expected: "<p>ab</p>"),
        RuleCase(name: "all attributes of p dropped", input: "<p style=\"text-indent:2em\" onclick=\"x()\" class=\"c\" id=\"i\" align=\"center\">t</p>", expected: "<p>t</p>"),
        RuleCase(name: "table cells keep colspan and rowspan only",
                 input: "<table border=1 width=100% style=\"x\"><tr><td colspan=\"2\" rowspan=\"x\" width=\"5\">a</td><th rowspan=3 scope=col>b</th></tr></table>",
                 expected: "<table><tr><td colspan=\"2\">a</td><th rowspan=\"3\">b</th></tr>\n</table>"),
        RuleCase(name: "table sections and caption",
                 input: "<table><caption>表</caption><thead><tr><th>证券简称</th></tr></thead><tbody><tr><td>茅台</td></tr></tbody></table>",
                 expected: "<table><caption>表</caption>\n<thead><tr><th>证券简称</th></tr>\n</thead>\n<tbody><tr><td>茅台</td></tr>\n</tbody>\n</table>"),
        RuleCase(name: "empty cells kept inside a table with content", input: "<table><tr><td></td><td>1</td></tr></table>", expected: "<table><tr><td></td><td>1</td></tr>\n</table>"),
        RuleCase(name: "table with no content dropped", input: "<p>a</p><table><tr><td> </td></tr></table>", expected: "<p>a</p>"),
        RuleCase(name: "a cell straight in a table or row group gets the row it lacks",
                 input: "<table><td>a</td><td>b</td></table><table><tbody><th>c</th></tbody></table>",
                 expected: "<table><tr><td>a</td><td>b</td></tr>\n</table>\n<table><tbody><tr><th>c</th></tr>\n</tbody>\n</table>"),
        RuleCase(name: "table parts outside a table are unwrapped, their text kept apart",
                 input: "<div>x<td>a</td><td>b</td></div><div><tr><th>c</th></tr><tbody>d</tbody><caption>e</caption></div>",
                 expected: "<div>x a b</div>\n<div>c d e</div>"),
        RuleCase(name: "lists", input: "<ul><li>一</li><li>二</li></ul><ol start=\"3\" type=\"a\"><li>三</li></ol>", expected: "<ul><li>一</li>\n<li>二</li>\n</ul>\n<ol start=\"3\"><li>三</li>\n</ol>"),
        RuleCase(name: "definition list", input: "<dl><dt>词</dt><dd>释义</dd></dl>", expected: "<dl><dt>词</dt>\n<dd>释义</dd>\n</dl>"),
        RuleCase(name: "headings and blockquote", input: "<h3>一、行情回顾</h3><blockquote><p>引文</p></blockquote>", expected: "<h3>一、行情回顾</h3>\n<blockquote><p>引文</p>\n</blockquote>"),
        RuleCase(name: "inline formatting kept", input: "<p><strong>强</strong><b>粗</b><em>斜</em><i>i</i><u>u</u><s>s</s><sup>1</sup><sub>2</sub><code>c</code><small>小</small><mark>m</mark></p>",
                 expected: "<p><strong>强</strong><b>粗</b><em>斜</em><i>i</i><u>u</u><s>s</s><sup>1</sup><sub>2</sub><code>c</code><small>小</small><mark>m</mark></p>"),
        RuleCase(name: "abbr title, time datetime", input: "<p><abbr title=\"中国人民银行\">央行</abbr><time datetime=\"2024-06-01\">6月1日</time></p>",
                 expected: "<p><abbr title=\"中国人民银行\">央行</abbr><time datetime=\"2024-06-01\">6月1日</time></p>"),
        RuleCase(name: "figure and figcaption", input: "<figure><img src=\"https://img.cn/a.jpg\"><figcaption>图为总部</figcaption></figure>",
                 expected: "<figure><img src=\"https://img.cn/a.jpg\"/><figcaption>图为总部</figcaption>\n</figure>"),
        RuleCase(name: "hr self-closes", input: "<p>a</p><hr><p>b</p>", expected: "<p>a</p>\n<hr/>\n<p>b</p>"),
        RuleCase(name: "html, head and body wrappers", input: "<html><head><title>t</title><script>x</script></head><body><p>正文</p></body></html>", expected: "<p>正文</p>"),
    ]

    @Test(arguments: cases) func rule(_ rule: RuleCase) { check(rule) }
}

@Suite("Links and image sources")
struct URLTests {
    static let cases: [RuleCase] = [
        RuleCase(name: "absolute https link gets rel", input: "<p><a href=\"https://quote.example.cn/sh600519.html\" target=\"_blank\" onclick=\"track(1)\">行情</a></p>",
                 expected: "<p><a href=\"https://quote.example.cn/sh600519.html\" rel=\"noopener noreferrer\">行情</a></p>"),
        RuleCase(name: "link title kept, collapsed", input: "<p><a href=\"https://x.cn/\" title=\"  标题 \n 一 \">l</a></p>",
                 expected: "<p><a href=\"https://x.cn/\" title=\"标题 一\" rel=\"noopener noreferrer\">l</a></p>"),
        RuleCase(name: "root-relative link resolved", input: "<p><a href=\"/x?a=1&amp;b=2\">l</a></p>",
                 expected: "<p><a href=\"https://finance.example.cn/x?a=1&amp;b=2\" rel=\"noopener noreferrer\">l</a></p>"),
        RuleCase(name: "path-relative link resolved", input: "<p><a href=\"b.html\">l</a></p>",
                 expected: "<p><a href=\"https://finance.example.cn/news/2021/b.html\" rel=\"noopener noreferrer\">l</a></p>"),
        RuleCase(name: "dot segments removed", input: "<p><a href=\"../c/./d.html\">l</a></p>",
                 expected: "<p><a href=\"https://finance.example.cn/news/c/d.html\" rel=\"noopener noreferrer\">l</a></p>"),
        RuleCase(name: "query-only and fragment-only", input: "<p><a href=\"?page=2\">q</a><a href=\"#s1\">f</a></p>",
                 expected: "<p><a href=\"https://finance.example.cn/news/2021/a.html?page=2\" rel=\"noopener noreferrer\">q</a><a href=\"https://finance.example.cn/news/2021/a.html#s1\" rel=\"noopener noreferrer\">f</a></p>"),
        RuleCase(name: "protocol-relative takes the article's scheme", input: "<p><a href=\"//cdn.example.com/x\">l</a></p>",
                 expected: "<p><a href=\"http://cdn.example.com/x\" rel=\"noopener noreferrer\">l</a></p>", articleURL: "http://finance.example.cn/a.html"),
        RuleCase(name: "protocol-relative without article URL is https", input: "<p><a href=\"//cdn.example.com/x\">l</a></p>",
                 expected: "<p><a href=\"https://cdn.example.com/x\" rel=\"noopener noreferrer\">l</a></p>", articleURL: nil),
        RuleCase(name: "relative link without article URL unwrapped", input: "<p><a href=\"/x\">l</a></p>", expected: "<p>l</p>", articleURL: nil),
        RuleCase(name: "mailto kept, scheme lowercased", input: "<p><a href=\"MAILTO:editor@example.cn\">信箱</a></p>",
                 expected: "<p><a href=\"mailto:editor@example.cn\" rel=\"noopener noreferrer\">信箱</a></p>"),
        RuleCase(name: "scheme lowercased, rest kept", input: "<p><a href=\"HTTP://Example.COM/A\">l</a></p>",
                 expected: "<p><a href=\"http://Example.COM/A\" rel=\"noopener noreferrer\">l</a></p>"),
        RuleCase(name: "surrounding whitespace stripped, inner space encoded", input: "<p><a href=\" \n https://x.cn/a b.html \t\">l</a></p>",
                 expected: "<p><a href=\"https://x.cn/a%20b.html\" rel=\"noopener noreferrer\">l</a></p>"),
        RuleCase(name: "backslash read as slash", input: "<p><a href=\"/\\evil.example/x\">l</a></p>",
                 expected: "<p><a href=\"https://evil.example/x\" rel=\"noopener noreferrer\">l</a></p>"),
        RuleCase(name: "javascript link unwrapped", input: "<p><a href=\"javascript:void(0)\" onclick=\"share()\">分享</a></p>", expected: "<p>分享</p>"),
        RuleCase(name: "mixed-case javascript unwrapped", input: "<p><a href=\"JaVaScRiPt:alert(document.cookie)\">点击</a></p>", expected: "<p>点击</p>"),
        RuleCase(name: "tab entity inside scheme", input: "<p><a href=\"jav&#x09;ascript:alert(1)\">x</a></p>", expected: "<p>x</p>"),
        RuleCase(name: "newline inside scheme", input: "<p><a href=\"java\nscript:alert(1)\">x</a></p>", expected: "<p>x</p>"),
        RuleCase(name: "leading control characters", input: "<p><a href=\"&#x01; javascript:alert(1)\">x</a></p>", expected: "<p>x</p>"),
        RuleCase(name: "leading U+2028 is not a valid URL", input: "<p><a href=\"\u{2028}javascript:alert(1)\">x</a></p>", expected: "<p>x</p>"),
        RuleCase(name: "data URL link unwrapped", input: "<p><a href=\"data:text/html;base64,PHNjcmlwdD4=\">附件</a></p>", expected: "<p>附件</p>"),
        RuleCase(name: "vbscript unwrapped", input: "<p><a href=\"vbscript:msgbox(1)\">x</a></p>", expected: "<p>x</p>"),
        RuleCase(name: "empty href unwrapped", input: "<p><a href=\"\">x</a><a name=\"top\">y</a></p>", expected: "<p>xy</p>"),
        RuleCase(name: "protocol-relative without a host unwrapped", input: "<p><a href=\"//\">x</a><a href=\"///y\">y</a></p>", expected: "<p>xy</p>"),
        RuleCase(name: "http(s) without a host unwrapped", input: "<p><a href=\"https:x.cn\">x</a><a href=\"https:///y\">y</a><a href=\"http://\">z</a></p>", expected: "<p>xyz</p>"),
        RuleCase(name: "link with no text dropped", input: "<p>a<a href=\"https://x.cn/\"></a>b</p>", expected: "<p>ab</p>"),
        RuleCase(name: "lazy image: data-src over data: placeholder",
                 input: "<p style=\"text-align:center\"><img src=\"data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7\" data-src=\"https://img.example-news.cn/2024/01/0001_0.jpg\" class=\"lazyload\" width=\"600\" height=\"400\" alt=\"图片\"></p>",
                 expected: "<p><img src=\"https://img.example-news.cn/2024/01/0001_0.jpg\" alt=\"图片\" width=\"600\" height=\"400\"/></p>"),
        RuleCase(name: "lazy image: data-original", input: "<p><img data-original=\"/pic/1.jpg\" alt=\"\"></p>",
                 expected: "<p><img src=\"https://finance.example.cn/pic/1.jpg\" alt=\"\"/></p>"),
        RuleCase(name: "lazy image: data-lazy-src", input: "<p><img src=\"/loading.gif\" data-lazy-src=\"https://img.cn/real.jpg\"></p>",
                 expected: "<p><img src=\"https://img.cn/real.jpg\"/></p>"),
        RuleCase(name: "image from first srcset candidate", input: "<p><img srcset=\" pic/a.jpg 1x, pic/b.jpg 2x\" title=\"资料图\" loading=\"lazy\"></p>",
                 expected: "<p><img src=\"https://finance.example.cn/news/2021/pic/a.jpg\" title=\"资料图\"/></p>"),
        RuleCase(name: "src kept when present, srcset dropped", input: "<p><img src=\"https://img.cn/a.jpg\" srcset=\"https://img.cn/a@2x.jpg 2x\"></p>",
                 expected: "<p><img src=\"https://img.cn/a.jpg\"/></p>"),
        RuleCase(name: "protocol-relative image", input: "<div class=\"img_wrapper\"><img src=\"//img.example-news.cn/0001_0.png\" onerror=\"this.style.display='none'\" style=\"max-width:100%\"></div>",
                 expected: "<div><img src=\"https://img.example-news.cn/0001_0.png\"/></div>"),
        RuleCase(name: "image with only a data: source dropped, and its empty paragraph", input: "<p>a</p><p><img src=\"data:image/png;base64,iVBORw0KGgo=\"></p>", expected: "<p>a</p>"),
        RuleCase(name: "image with no source dropped", input: "<p>a<img alt=\"x\">b</p>", expected: "<p>ab</p>"),
        RuleCase(name: "javascript image source dropped", input: "<p>a<img src=\"javascript:alert(1)\">b</p>", expected: "<p>ab</p>"),
        RuleCase(name: "mailto is not an image source", input: "<p>a<img src=\"mailto:x@y.cn\">b</p>", expected: "<p>ab</p>"),
        RuleCase(name: "1x1 tracking pixel dropped", input: "<p>文<img src=\"https://t.example.cn/p.gif?id=1\" width=\"1\" height=\"1\">字</p>", expected: "<p>文字</p>"),
        RuleCase(name: "non-numeric width dropped", input: "<p><img src=\"https://img.cn/a.jpg\" width=\"100%\" height=\" 20 \"></p>",
                 expected: "<p><img src=\"https://img.cn/a.jpg\" height=\"20\"/></p>"),
        RuleCase(name: "image alt escaped", input: "<p><img src=\"https://img.cn/a.jpg\" alt='\"图\" &lt;1&gt; &amp;'></p>",
                 expected: "<p><img src=\"https://img.cn/a.jpg\" alt=\"&quot;图&quot; &lt;1&gt; &amp;\"/></p>"),
    ]

    @Test(arguments: cases) func rule(_ rule: RuleCase) { check(rule) }
}

@Suite("Cleaning: whitespace, indents, empty elements")
struct CleaningTests {
    static let cases: [RuleCase] = [
        RuleCase(name: "full-width indent removed", input: "<p>　　今年以来，工商银行</p>", expected: "<p>今年以来，工商银行</p>"),
        RuleCase(name: "nbsp indent removed", input: "<p>&nbsp;&nbsp; 文字</p>", expected: "<p>文字</p>"),
        RuleCase(name: "indent inside leading inline removed", input: "<p><strong>　　标题</strong></p>", expected: "<p><strong>标题</strong></p>"),
        RuleCase(name: "inner nbsp and ideographic space kept", input: "<p>a&nbsp;b　c</p>", expected: "<p>a\u{00A0}b　c</p>"),
        RuleCase(name: "whitespace runs collapsed", input: "<p>a \n\t  b</p>", expected: "<p>a b</p>"),
        RuleCase(name: "whitespace at block edges dropped", input: "<p>  a  </p>", expected: "<p>a</p>"),
        RuleCase(name: "CRLF and space between paragraphs become one newline", input: "<p>a</p>\r\n <p>b</p>", expected: "<p>a</p>\n<p>b</p>"),
        RuleCase(name: "space before an inline element joins the text", input: "<p>a <b>b</b> c</p>", expected: "<p>a <b>b</b> c</p>"),
        RuleCase(name: "space at the start of an inline element stays inside", input: "<p>a<b> b</b></p>", expected: "<p>a<b> b</b></p>"),
        RuleCase(name: "empty paragraphs dropped",
                 input: "<p>　</p><p>&nbsp;</p><p><br></p><p> </p><p>　<br/>&nbsp;</p><p>x</p>", expected: "<p>x</p>"),
        RuleCase(name: "empty inline elements dropped", input: "<p>a<strong></strong>b<span> </span>c<em><br></em>d</p>", expected: "<p>ab c<em><br/></em>d</p>"),
        RuleCase(name: "empty div and list dropped", input: "<div> </div><ul><li> </li></ul><p>x</p>", expected: "<p>x</p>"),
        RuleCase(name: "dropped block leaves a word boundary", input: "<div>a<div> </div>b</div>", expected: "<div>a b</div>"),
        RuleCase(name: "pre keeps whitespace", input: "<pre>a  b\n  c\r\nd</pre>", expected: "<pre>a  b\n  c\nd</pre>"),
        RuleCase(name: "pre with only whitespace dropped", input: "<pre>  \n </pre><p>x</p>", expected: "<p>x</p>"),
        RuleCase(name: "breaks at block edges dropped", input: "<p><br>a<br>b<br><br></p>", expected: "<p>a<br/>b</p>"),
        RuleCase(name: "double break kept", input: "<p>a<br><br>b</p>", expected: "<p>a<br/><br/>b</p>"),
        RuleCase(name: "indent after a break removed", input: "<p>a<br>　　b</p>", expected: "<p>a<br/>b</p>"),
        RuleCase(name: "text first gets the paragraph libxml2 implies", input: "正文<p>下一段</p>", expected: "<p>正文</p>\n<p>下一段</p>"),
        RuleCase(name: "plain text body", input: "  纯文本  摘要 ", expected: "<p>纯文本 摘要</p>"),
        RuleCase(name: "block inside a paragraph closes it, as the parser would", input: "<p>a<font><div>b</div></font>c</p>", expected: "<p>a</p>\n<div>b</div>\nc"),
        RuleCase(name: "paragraph inside bold", input: "<b><p>x</p></b>", expected: "<p>x</p>"),
        RuleCase(name: "list item inside unwrapped list item", input: "<ul><li>a<font><li>b</li></font></li></ul>", expected: "<ul><li>a</li>\n<li>b</li>\n</ul>"),
        RuleCase(name: "nested link closes the outer one", input: "<p><a href=\"https://a.cn/\">a<font><a href=\"https://b.cn/\">b</a></font></a></p>",
                 expected: "<p><a href=\"https://a.cn/\" rel=\"noopener noreferrer\">a</a><a href=\"https://b.cn/\" rel=\"noopener noreferrer\">b</a></p>"),
        RuleCase(name: "text escaped", input: "<p>R&amp;D &lt;研报&gt; \"引号\" 'x'</p>", expected: "<p>R&amp;D &lt;研报&gt; \"引号\" 'x'</p>"),
        RuleCase(name: "entities decoded", input: "<p>&ldquo;估值修复&rdquo;&mdash;&#20013;&#x6587;&middot;</p>", expected: "<p>“估值修复”—中文·</p>"),
        RuleCase(name: "C0 controls removed", input: "<p>a\u{01}b\u{0B}c\u{1F}d&#x1;e</p>", expected: "<p>abcde</p>"),
        RuleCase(name: "U+FFFE and U+FFFF removed", input: "<p>a\u{FFFE}b\u{FFFF}c</p>", expected: "<p>abc</p>"),
        RuleCase(name: "NFC: decomposed accents composed", input: "<p>Cafe\u{0301} A\u{030A}</p>", expected: "<p>Café Å</p>"),
        RuleCase(name: "NFC: Hangul jamo composed", input: "<p>\u{1100}\u{1161}\u{11A8}</p>", expected: "<p>각</p>"),
        RuleCase(name: "NFC across an unwrapped element", input: "<p>e<font>\u{0301}</font>!</p>", expected: "<p>é!</p>"),
        RuleCase(name: "NFC: reordering across an unwrapped element", input: "<p>a\u{0301}<font>\u{0323}</font></p>", expected: "<p>\u{1EA1}\u{0301}</p>"),
        RuleCase(name: "NFC: combining marks after a tag stay apart from it", input: "<p><b>x</b>\u{0301}\u{0338}</p>", expected: "<p><b>x</b>&#x338;\u{0301}</p>"),
        RuleCase(name: "NFC: singleton compatibility ideograph", input: "<p>\u{F900}</p>", expected: "<p>\u{8C48}</p>"),
        RuleCase(name: "combining solidus after a tag is a reference", input: "<p><b>x</b>\u{0338}y</p>", expected: "<p><b>x</b>&#x338;y</p>"),
        RuleCase(name: "meta charset cannot switch the encoding", input: "<meta charset=\"gbk\"><p>中文</p>", expected: "<p>中文</p>"),
        RuleCase(name: "empty body", input: "", expected: ""),
        RuleCase(name: "only markup that is removed", input: "<script>x</script><!-- c --><style>s</style>", expected: ""),
    ]

    @Test(arguments: cases) func rule(_ rule: RuleCase) { check(rule) }
}
