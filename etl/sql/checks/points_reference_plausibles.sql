-- Reference points lie in metropolitan France's bounding box.
select niveau, code, longitude, latitude
from territoires
where longitude not between -5.5 and 10 or latitude not between 41 and 51.5
