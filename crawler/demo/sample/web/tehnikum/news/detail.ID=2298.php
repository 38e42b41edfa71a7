<!DOCTYPE html>
<html lang="ru">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">
<title>Итоги первого полугодия</title>
<link href="/sites/tehnikum/bitrix/cache/css/s1/edu_template/template_styles.css?1736412345" type="text/css" rel="stylesheet">
<script type="text/javascript">if(!window.BX)window.BX={message:function(){}};</script>
</head>
<body>
<div class="wrapper">
<div class="header"><a class="logo" href="/sites/tehnikum/">ГБПОУ «Зиминский промышленный техникум» (демо)</a></div>
<div class="top-menu">
<ul id="horizontal-multilevel-menu">
	<li><a href="/sites/tehnikum/" class="root-item">Главная</a></li>
	<li><a href="/sites/tehnikum/about/" class="root-item">Об организации</a></li>
	<li><a href="/sites/tehnikum/news/" class="root-item-selected">Новости</a></li>
	<li><a href="/sites/tehnikum/documents/" class="root-item">Документы</a></li>
	<li><a href="/sites/tehnikum/contacts/" class="root-item">Контакты</a></li>
</ul>
</div>
<div class="workarea">

<div class="news-detail">
	<h3>Итоги первого полугодия</h3>
	<span class="news-date-time">27.12.2024</span>
	<p>Подведены итоги первого полугодия. Средний балл студентов — 4,1, на «отлично» учатся 46 человек. Спасибо преподавателям и кураторам!</p>
	<div style="clear:both"></div>
	<br>
</div>
<p><a href="/sites/tehnikum/news/">Возврат к списку</a></p>

</div>
<div class="footer">© ГБПОУ «Зиминский промышленный техникум» (демо). Демонстрационный сайт natmon: все тексты вымышлены. Работает на «1С-Битрикс: Управление сайтом».</div>
</div>
</body>
</html>
