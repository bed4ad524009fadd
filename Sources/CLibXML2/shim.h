// libxml2's headers pull in ICU when it was built with ICU; Foundation ships its own ICU module, and the
// two clash. Hiroba never touches libxml2's ICU converters, so their declarations are left out.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

static inline void hiroba_xml_free(void *p) { xmlFree(p); }
