<html>
<head>
<title>Ёлка главы города</title>
</head>
<body bgcolor="#FFFFF0">
<p><a href="/sites/ddt/">На главную</a> | <a href="/sites/ddt/news.php">Все новости</a></p>
<h2>Ёлка главы города</h2>
<p><i>25.12.2024</i></p>
<p>Лучшие воспитанники Дома детского творчества побывали на ёлке главы города.</p>
</body>
</html>
