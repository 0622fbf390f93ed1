package org.sockoptbridge.platform;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/**
 * What the host suite reported in a cell, read from the JUnit XML that JUnit's console launcher
 * wrote ({@code --reports-dir}). Skipped tests keep their reason, grouped: the report says why,
 * not only how many.
 *
 * @param passed      test cases that ran and neither failed nor were skipped
 * @param failed      test cases with a failure or an error
 * @param skipped     test cases skipped: aborted by an assumption, or disabled
 * @param skipReasons each reason, with the tests it skipped
 * @param failures    "Class.test: first line of the failure" for each failed test
 */
record TestResults(int passed, int failed, int skipped, Map<String, List<String>> skipReasons, List<String> failures) {

    private static final String ABORTED = "org.opentest4j.TestAbortedException: ";
    private static final String ASSUMPTION = "Assumption failed: ";

    static TestResults parse(String xml) throws IOException {
        Element root;
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            root = factory.newDocumentBuilder().parse(new InputSource(new StringReader(xml))).getDocumentElement();
        } catch (ParserConfigurationException | SAXException e) {
            throw new IOException("not JUnit XML: " + e.getMessage(), e);
        }
        int passed = 0;
        int failed = 0;
        int skipped = 0;
        Map<String, List<String>> reasons = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        NodeList cases = root.getElementsByTagName("testcase");
        for (int i = 0; i < cases.getLength(); i++) {
            Element testCase = (Element) cases.item(i);
            String name = testName(testCase);
            Element failure = child(testCase, "failure");
            if (failure == null) {
                failure = child(testCase, "error");
            }
            Element skip = child(testCase, "skipped");
            if (failure != null) {
                failed++;
                failures.add(name + ": " + firstLine(failure));
            } else if (skip != null) {
                skipped++;
                reasons.computeIfAbsent(firstLine(skip), r -> new ArrayList<>()).add(name);
            } else {
                passed++;
            }
        }
        return new TestResults(passed, failed, skipped, reasons, failures);
    }

    private static String testName(Element testCase) {
        String className = testCase.getAttribute("classname");
        return className.substring(className.lastIndexOf('.') + 1) + "." + testCase.getAttribute("name");
    }

    private static Element child(Element parent, String tag) {
        NodeList children = parent.getElementsByTagName(tag);
        return children.getLength() == 0 ? null : (Element) children.item(0);
    }

    /** The message attribute, else the first line of the text (JUnit puts the stack trace there). */
    private static String firstLine(Element element) {
        String text = element.getAttribute("message");
        if (text.isBlank()) {
            text = element.getTextContent() == null ? "" : element.getTextContent().strip();
            int end = text.indexOf('\n');
            text = end < 0 ? text : text.substring(0, end);
        }
        text = text.strip();
        if (text.startsWith(ABORTED)) {
            text = text.substring(ABORTED.length());
        }
        if (text.startsWith(ASSUMPTION)) {
            text = text.substring(ASSUMPTION.length());
        }
        return text.isEmpty() ? "(no reason given)" : text;
    }
}
