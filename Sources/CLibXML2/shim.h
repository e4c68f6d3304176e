#ifndef FEEDD_CLIBXML2_SHIM_H
#define FEEDD_CLIBXML2_SHIM_H

#include <libxml/xmlversion.h>
/* Debian builds libxml2 with ICU; importing ICU's headers next to Foundation
   clashes ('UErrorCode' has different definitions). feedd never touches the
   ICU-backed encoding handlers, so hide them. */
#undef LIBXML_ICU_ENABLED

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <libxml/xmlwriter.h>
#include <libxml/xmlreader.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <libxml/relaxng.h>
#include <libxml/xmlerror.h>
#include <libxml/uri.h>
#include <libxml/xmlsave.h>
#include <libxml/parserInternals.h>
#include <string.h>

/* LIBXML_TEST_VERSION is a macro. */
static inline void feedd_xml_init(void) {
    LIBXML_TEST_VERSION
}

/* xmlFree is a global function pointer; Swift 6 refuses it as shared mutable state. */
static inline void feedd_xml_free(void *p) {
    xmlFree(p);
}

/* Silence libxml2's default error printer (it writes to stderr) on this
   thread (libxml2 keeps it per thread): an encoding error in a hostile body
   would otherwise print a line. Errors are collected through structured
   handlers where callers need them. */
static void feedd_xml_quiet_handler(void *ctx, const char *msg, ...) {
    (void)ctx; (void)msg;
}
static inline void feedd_xml_silence_errors(void) {
    xmlSetGenericErrorFunc(NULL, feedd_xml_quiet_handler);
}

/* Sets up `ctxt` to read its bytes as UTF-8 whatever they start with or
   declare (with XML_PARSE_IGNORE_ENC), as xmlReadMemory(..., "UTF-8",
   options) reads them, but without a pass through libxml2's UTF-8 to UTF-8
   converter: the parser validates every character anyway. */
static inline xmlParserCtxtPtr feedd_xml_utf8_context(xmlParserCtxtPtr ctxt, int options) {
    if (ctxt == NULL) return NULL;
    feedd_xml_silence_errors();
    xmlCtxtUseOptions(ctxt, options);
    xmlSwitchEncoding(ctxt, XML_CHAR_ENCODING_UTF8);
    /* A known encoding: no guess from the first four bytes ("<\0?\0" is not UTF-16 here). */
    if (ctxt->encoding == NULL) ctxt->encoding = xmlStrdup((const xmlChar *) "UTF-8");
    return ctxt;
}

/* A push-parser context (libxml2's streaming mode) whose events go to `sax`
   with `user` instead of building a tree: feed it with xmlParseChunk, free
   it with xmlFreeParserCtxt. NULL when libxml2 could not make one. (The
   push parser takes a CDATA section as one block, checked in bulk, where
   the pull parser copies it a character at a time: half the parse of a
   CDATA feed.) */
static inline xmlParserCtxtPtr feedd_xml_push_context(const char *url, const xmlSAXHandler *sax, void *user,
                                                      int options) {
    return feedd_xml_utf8_context(xmlCreatePushParserCtxt((xmlSAXHandlerPtr) sax, user, NULL, 0, url), options);
}

/* A pull-parser context over `size` bytes (copied), events to `sax` with
   `user`: run it with xmlParseDocument, free it with xmlFreeParserCtxt.
   Used in recovery mode, where the pull parser keeps more of a broken
   document than the push parser (the same events as xmlReadMemory's tree). */
static inline xmlParserCtxtPtr feedd_xml_pull_context(const char *buffer, int size, const char *url,
                                                      const xmlSAXHandler *sax, void *user, int options) {
    xmlParserCtxtPtr ctxt = xmlCreateMemoryParserCtxt(buffer, size);
    if (ctxt == NULL) return NULL;
    memcpy(ctxt->sax, sax, sizeof(xmlSAXHandler));
    ctxt->userData = user;
    if (url != NULL && ctxt->input != NULL && ctxt->input->filename == NULL)
        ctxt->input->filename = (char *) xmlStrdup((const xmlChar *) url);
    return feedd_xml_utf8_context(ctxt, options);
}

/* Runs libxml2's HTML parser over `size` bytes of UTF-8 as
   htmlReadMemory(buffer, size, NULL, "UTF-8", options) does (same context,
   options and encoding, so a <meta charset> in the body cannot switch it),
   but hands the events to `sax` with `user` instead of building a tree.
   Returns -1 when libxml2 could not make a parser context. */
static inline int feedd_html_sax_parse(const char *buffer, int size, const htmlSAXHandler *sax, void *user,
                                       int options) {
    htmlParserCtxtPtr ctxt = htmlCreateMemoryParserCtxt(buffer, size);
    if (ctxt == NULL) return -1;
    feedd_xml_silence_errors();
    memcpy(ctxt->sax, sax, sizeof(htmlSAXHandler));
    ctxt->userData = user;
    htmlCtxtUseOptions(ctxt, options | HTML_PARSE_IGNORE_ENC);
    /* UTF-8 without a pass through libxml2's UTF-8 to UTF-8 converter, and
       a known input encoding, so that a <meta charset> cannot switch it. */
    xmlSwitchEncoding(ctxt, XML_CHAR_ENCODING_UTF8);
    if (ctxt->input->encoding != NULL) xmlFree((xmlChar *) ctxt->input->encoding);
    ctxt->input->encoding = xmlStrdup((const xmlChar *) "UTF-8");
    htmlParseDocument(ctxt);
    if (ctxt->myDoc != NULL) {
        xmlFreeDoc(ctxt->myDoc);
        ctxt->myDoc = NULL;
    }
    htmlFreeParserCtxt(ctxt);
    return 0;
}

#endif
