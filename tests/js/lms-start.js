document.getElementById("sco").src = "pkg/" + (window.lmsInit.launch || "scorm.html");
