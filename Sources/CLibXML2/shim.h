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

/* LIBXML_TEST_VERSION is a macro. */
static inline void feedd_xml_init(void) {
    LIBXML_TEST_VERSION
}

/* xmlFree is a global function pointer; Swift 6 refuses it as shared mutable state. */
static inline void feedd_xml_free(void *p) {
    xmlFree(p);
}

/* Silence libxml2's default error printer (it writes to stderr). Errors are
   collected through structured handlers where callers need them. */
static void feedd_xml_quiet_handler(void *ctx, const char *msg, ...) {
    (void)ctx; (void)msg;
}
static inline void feedd_xml_silence_errors(void) {
    xmlSetGenericErrorFunc(NULL, feedd_xml_quiet_handler);
}

#endif
