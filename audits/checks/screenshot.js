// Shows one element for a screenshot: scrolls it into view, outlines it, and answers its box
// in page coordinates (CSS pixels), or null when it is not there or has no size.
// Arguments: a CSS selector, "mark" or "unmark".
var selector = arguments[0], command = arguments[1];
var element;
try {
  element = document.querySelector(selector);
} catch (error) {
  return null;
}
if (!element) {
  return null;
}
if (command === 'unmark') {
  element.style.outline = element.getAttribute('data-nachtwacht-outline') || '';
  element.style.outlineOffset = element.getAttribute('data-nachtwacht-offset') || '';
  element.removeAttribute('data-nachtwacht-outline');
  element.removeAttribute('data-nachtwacht-offset');
  return true;
}
element.scrollIntoView({block: 'center', inline: 'center'});
element.setAttribute('data-nachtwacht-outline', element.style.outline);
element.setAttribute('data-nachtwacht-offset', element.style.outlineOffset);
element.style.outline = '4px solid #d4008f';
element.style.outlineOffset = '2px';
var box = element.getBoundingClientRect();
if (box.width < 1 || box.height < 1) {
  return null;
}
return {x: box.left + window.scrollX, y: box.top + window.scrollY,
        width: box.width, height: box.height,
        pageWidth: document.documentElement.scrollWidth,
        pageHeight: document.documentElement.scrollHeight};
