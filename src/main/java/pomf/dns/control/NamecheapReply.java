package pomf.dns.control;

import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * One parsed {@code ApiResponse}: its elements in document order, each by lower-cased local name with lower-cased
 * attribute names, because the live API's casing varies ({@code Host} in the documentation, {@code host} on the wire;
 * {@code HostId} and {@code HostID}). The namespace is ignored for the same reason: it is not always sent.
 *
 * <p>Parsed with StAX, DTDs and external entities off: the answer comes over the network, and an entity must not
 * read a local file or call out.
 */
final class NamecheapReply {
    record Element(String name, Map<String, String> attributes, String text) {
        String attribute(String attribute) {
            return attributes.getOrDefault(attribute.toLowerCase(Locale.ROOT), "");
        }
    }

    private final List<Element> elements;

    private NamecheapReply(List<Element> elements) {
        this.elements = elements;
    }

    static NamecheapReply parse(String xml) throws XMLStreamException {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, false);
        XMLStreamReader reader = factory.createXMLStreamReader(new StringReader(xml));
        try {
            return new NamecheapReply(read(reader));
        } finally {
            reader.close();
        }
    }

    private static List<Element> read(XMLStreamReader reader) throws XMLStreamException {
        List<Element> elements = new ArrayList<>();
        Deque<Open> open = new ArrayDeque<>();
        while (reader.hasNext()) {
            switch (reader.next()) {
                case XMLStreamConstants.START_ELEMENT -> {
                    Map<String, String> attributes = new HashMap<>();
                    for (int i = 0; i < reader.getAttributeCount(); i++) {
                        attributes.put(localName(reader.getAttributeLocalName(i)), reader.getAttributeValue(i));
                    }
                    open.push(new Open(localName(reader.getLocalName()), attributes, elements.size()));
                    elements.add(null); // held in place: document order is the order of the start tags
                }
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA -> {
                    if (!open.isEmpty()) {
                        open.peek().text.append(reader.getText());
                    }
                }
                case XMLStreamConstants.DTD -> throw new XMLStreamException("a DTD in an API answer");
                case XMLStreamConstants.END_ELEMENT -> {
                    Open element = open.pop();
                    elements.set(
                            element.index,
                            new Element(
                                    element.name,
                                    element.attributes,
                                    element.text.toString().strip()));
                }
                default -> {}
            }
        }
        return elements;
    }

    private static final class Open {
        final String name;
        final Map<String, String> attributes;
        final int index;
        final StringBuilder text = new StringBuilder();

        Open(String name, Map<String, String> attributes, int index) {
            this.name = name;
            this.attributes = attributes;
            this.index = index;
        }
    }

    /** Without a prefix (namespace awareness is off, so {@code a:Host} arrives whole) and in lower case. */
    private static String localName(String name) {
        return name.substring(name.indexOf(':') + 1).toLowerCase(Locale.ROOT);
    }

    /** {@code OK} or {@code ERROR}, upper-cased; empty when the document is not an ApiResponse. */
    String status() {
        return first("apiresponse")
                .map(response -> response.attribute("status").toUpperCase(Locale.ROOT))
                .orElse("");
    }

    List<Element> all(String name) {
        String wanted = name.toLowerCase(Locale.ROOT);
        return elements.stream().filter(e -> e.name().equals(wanted)).toList();
    }

    Optional<Element> first(String name) {
        return all(name).stream().findFirst();
    }
}
