/** CSV cells (RFC 4180) that a spreadsheet opens as text, never as a formula: the Pomf reply's and the reports'. */
package pomf.csv;
